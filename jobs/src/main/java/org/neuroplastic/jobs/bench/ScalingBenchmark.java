package org.neuroplastic.jobs.bench;

import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.train.MinibatchLayout;
import org.neuroplastic.jobs.results.SoftwareVersions;
import org.neuroplastic.jobs.config.AugmentationSettings;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.ReplaySettings;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.train.EpochReport;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.RoundBudget;
import org.bytedeco.javacpp.Pointer;
import org.neuroplastic.jobs.train.StructuralRewiring;
import org.neuroplastic.jobs.train.TrainJob;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.bench.PlasticityBenchmark;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * What one parameter-averaging round of the resident master costs as the number of workers N and the
 * parameters P of the network grow: per (N, P), the round's fixed cost ({@code RoundResult.overheadMs()},
 * median over the measured rounds), the bytes the driver receives from tasks per round (a Spark listener
 * summing the result sizes of each round's tasks) and the driver's peak heap; then the least-squares fit
 * {@code overhead_ms = a + b*N + c*N*P} and what it predicts at P = 2M for N = 64 and 256.
 *
 * <p>It measures the master only through its public interface (training settings, {@code fit} through
 * {@link SparkDl4jMultiLayer}, round observers and epoch reports) and through Spark's listener API, so it
 * measures any implementation of the averaging alike. The fit work is made tiny (every minibatch averaged,
 * minibatches of a few examples of synthetic data), so a round is mostly its overhead. A configuration the
 * train job's {@link RoundBudget} refuses, or that fails, prints one line saying so and the next one runs.
 */
@Command(name = "benchmark scaling", sortOptions = false,
        description = "Cost of a parameter-averaging round of the resident master against workers N and parameters P.")
public final class ScalingBenchmark implements Callable<Integer> {

    /** The P at which the fit's predictions are printed. */
    static final long PREDICTION_PARAMETERS = 2_000_000;
    static final int[] PREDICTION_WORKERS = {64, 256};
    private static final int CLASSES = 10;
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    @Option(names = "--workers", split = ",", paramLabel = "N", defaultValue = "2,8,32,64,128",
            description = "Worker counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--parameters", split = ",", paramLabel = "P", defaultValue = "500000,2000000",
            description = "Target parameter counts, each measured at every worker count (default: ${DEFAULT-VALUE}); "
                    + "the network's widths are chosen to come closest, and the exact count is printed.")
    List<Long> parameters;

    @Option(names = "--large-parameters", paramLabel = "P", defaultValue = "10000000",
            description = "One more target parameter count, measured only up to --large-max-workers (0: none; "
                    + "default: ${DEFAULT-VALUE}).")
    long largeParameters;

    @Option(names = "--large-max-workers", paramLabel = "N", defaultValue = "16",
            description = "Largest worker count measured at --large-parameters (default: ${DEFAULT-VALUE}).")
    int largeMaxWorkers;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "5",
            description = "Measured rounds per configuration (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-up-rounds", paramLabel = "W", defaultValue = "1",
            description = "Rounds run and not measured before them: the first builds every worker's network "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmUpRounds;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "2",
            description = "Examples per minibatch; every minibatch is averaged (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master: local[2], or spark://127.0.0.1:PORT of a running standalone cluster "
                    + "(default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--standalone", paramLabel = "EXECUTORS", defaultValue = "0",
            description = "Start a standalone cluster of this many executors (1 core each) on 127.0.0.1 from the "
                    + "application's jars, run against it instead of --master, and stop it at the end (0: no).")
    int standalone;

    @Option(names = "--executor-memory", paramLabel = "SIZE", defaultValue = "2g",
            description = "Memory of each executor of --standalone (default: ${DEFAULT-VALUE}).")
    String executorMemory;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting on top of the benchmark's, e.g. spark.driver.maxResultSize=2g (which the "
                    + "train job's round budget then also allows); repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec commandLine;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScalingBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        PrintStream out = System.out;
        BenchmarkSession.nativeThreads(1);
        LoopbackCluster cluster = null;
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            String url = master;
            if (standalone > 0) {
                Path appJar = applicationJar();
                cluster = LoopbackCluster.start(standalone, executorMemory, appJar, addOpens(),
                        appJar.getParent().resolve("scaling-cluster"));
                url = cluster.masterUrl();
                settings.putAll(cluster.driverSettings());
            } else if (!master.startsWith("local")) {
                settings.put("spark.jars", applicationJar().toString());
                settings.put("spark.executor.extraJavaOptions", String.join(" ", addOpens()));
                settings.put("spark.executorEnv.OMP_NUM_THREADS", "1");
            }
            settings.putAll(conf);
            SparkSession spark = BenchmarkSession.spark(url, "scaling-benchmark", settings);
            try {
                provenance(out, spark, cluster);
                run(spark, out);
            } finally {
                spark.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        return 0;
    }

    private void validate() {
        for (int n : workers) {
            if (n < 1 || n > TrainingSettings.MAX_WORKERS) {
                throw new CommandLine.ParameterException(commandLine.commandLine(),
                        "--workers must be in [1, " + TrainingSettings.MAX_WORKERS + "], found " + n);
            }
        }
        for (long p : parameters) {
            if (p < 100) {
                throw new CommandLine.ParameterException(commandLine.commandLine(), "--parameters must be >= 100, found " + p);
            }
        }
        if (largeParameters != 0 && largeParameters < 100) {
            throw new CommandLine.ParameterException(commandLine.commandLine(),
                    "--large-parameters must be 0 or >= 100, found " + largeParameters);
        }
        if (rounds < 1 || warmUpRounds < 0 || batch < 1 || standalone < 0) {
            throw new CommandLine.ParameterException(commandLine.commandLine(), String.format(Locale.ROOT,
                    "--rounds and --batch must be >= 1, --warm-up-rounds and --standalone >= 0; found %d, %d, %d, %d",
                    rounds, batch, warmUpRounds, standalone));
        }
    }

    private void run(SparkSession spark, PrintStream out) {
        List<int[]> grid = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        for (long p : parameters) {
            for (int n : workers) {
                grid.add(new int[] {n, targets.size()});
                targets.add(p);
            }
        }
        if (largeParameters > 0) {
            for (int n : workers) {
                if (n <= largeMaxWorkers) {
                    grid.add(new int[] {n, targets.size()});
                    targets.add(largeParameters);
                }
            }
        }
        long smallest = targets.stream().mapToLong(Long::longValue).min().orElseThrow();
        Measurement warmUp = measure(spark, 2, network(smallest), warmUpRounds, rounds, batch);
        out.printf(Locale.ROOT, "warm_up: workers: 2 parameters: %d %s (JIT and Spark warm-up, not reported below)%n",
                warmUp.parameters(), warmUp.succeeded() ? "done" : warmUp.outcome() + ": " + warmUp.reason());
        List<ScalingFit.Point> points = new ArrayList<>();
        List<Measurement> measured = new ArrayList<>();
        for (int[] configuration : grid) {
            NetworkSpec spec = network(targets.get(configuration[1]));
            Measurement m = measure(spark, configuration[0], spec, warmUpRounds, rounds, batch);
            out.println(m.line());
            out.flush();
            if (m.succeeded()) {
                points.add(new ScalingFit.Point(m.workers(), m.parameters(), m.overheadMs()));
                measured.add(m);
            }
        }
        printFit(out, points);
        ClusterEstimate.print(out, measured, PREDICTION_WORKERS, PREDICTION_PARAMETERS);
        out.printf(Locale.ROOT, "load_average_end: %.2f%n", loadAverage());
    }

    static void printFit(PrintStream out, List<ScalingFit.Point> points) {
        ScalingFit fit;
        try {
            fit = ScalingFit.of(points);
        } catch (IllegalArgumentException e) {
            out.println("fit: not computed: " + e.getMessage());
            return;
        }
        double squares = 0;
        for (ScalingFit.Point p : points) {
            double residual = p.overheadMs() - fit.predict(p.workers(), p.parameters());
            squares += residual * residual;
        }
        out.printf(Locale.ROOT, "fit: overhead_ms = a + b*N + c*N*P, least squares over %d configurations%n", fit.points());
        out.printf(Locale.ROOT, "fit_a_ms: %.3f%n", fit.a());
        out.printf(Locale.ROOT, "fit_b_ms_per_worker: %.4f%n", fit.b());
        out.printf(Locale.ROOT, "fit_c_ms_per_worker_parameter: %.4e%n", fit.c());
        out.printf(Locale.ROOT, "fit_rms_residual_ms: %.3f%n", Math.sqrt(squares / points.size()));
        for (int n : PREDICTION_WORKERS) {
            out.printf(Locale.ROOT, "predicted_round_overhead_ms N=%d P=%d: %.1f%n", n, PREDICTION_PARAMETERS,
                    fit.predict(n, PREDICTION_PARAMETERS));
        }
    }

    /**
     * One configuration: N workers each training a network of {@code spec}, {@code warmUp + rounds} rounds of
     * one minibatch each, in one epoch.
     */
    static Measurement measure(SparkSession spark, int workers, NetworkSpec spec, int warmUp, int rounds, int batch) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long parameters = parameterCount(spec);
        DriverResultBytes results = new DriverResultBytes();
        sc.sc().addSparkListener(results);
        String previousTag = sc.getLocalProperty(DriverResultBytes.TAG);
        resetHeapPeaks();
        try {
            MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
            int roundsPerEpoch = warmUp + rounds;
            TrainingSettings settings = new TrainingSettings(workers, batch, 1, 1, true,
                    TrainingSettings.Averaging.RESIDENT, false, ConsolidationSettings.NONE, AugmentationSettings.NONE, 0, ReplaySettings.OFF);
            RoundBudget.check(sc.getConf(), Runtime.getRuntime().maxMemory(), network, settings);
            RoundBudget.checkResidentNetworks(sc.getConf(), Pointer.maxBytes(), network, settings);
            sc.setLocalProperty(DriverResultBytes.TAG, "setup");
            JavaRDD<DataSet> data = MinibatchLayout.distribute(sc,
                    syntheticMinibatches(spec.nIn(), workers * roundsPerEpoch, batch), workers);
            double[] overheads = new double[rounds];
            double[] walls = new double[rounds];
            double[] fits = new double[rounds];
            String runId = String.format(Locale.ROOT, "scaling-%d-%d-%d", workers, parameters, System.nanoTime());
            EpochReport epoch;
            try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                    new TrajectoryScope(runId, null, 0), new PlasticityLayerMetrics())) {
                master.addRoundListener(new StructuralRewiring());
                master.addRoundObserver((round, roundsInEpoch, averagedRows) -> {
                    int measured = round.round() - warmUp;
                    if (measured >= 0 && measured < rounds) {
                        overheads[measured] = round.overheadMs();
                        walls[measured] = round.wallNanos() / 1e6;
                        fits[measured] = round.slowestFitNanos() / 1e6;
                    }
                    // Jobs submitted from here on, until the next round ends, belong to the next round.
                    sc.setLocalProperty(DriverResultBytes.TAG, String.valueOf(round.round() + 1));
                });
                SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(sc, network, master);
                sc.setLocalProperty(DriverResultBytes.TAG, "0");
                trainer.fit(data);
                sc.setLocalProperty(DriverResultBytes.TAG, "close");
                epoch = master.epochReports().get(0);
            }
            if (epoch.rounds() != roundsPerEpoch) {
                throw new IllegalStateException("the epoch ran " + epoch.rounds() + " rounds, expected " + roundsPerEpoch);
            }
            results.settle(sc, SETTLE_TIMEOUT);
            long bytes = 0;
            double[] executorShares = new double[rounds];
            double[] driverShares = new double[rounds];
            double[] perWorker = new double[rounds];
            int slots = sc.defaultParallelism();
            for (int r = warmUp; r < roundsPerEpoch; r++) {
                bytes += results.bytes(String.valueOf(r));
                long taskMillis = results.taskMillis(String.valueOf(r));
                executorShares[r - warmUp] = (double) taskMillis / slots;
                driverShares[r - warmUp] = walls[r - warmUp] - executorShares[r - warmUp];
                perWorker[r - warmUp] = (double) taskMillis / workers;
            }
            return new Measurement(workers, parameters, median(overheads), median(walls), median(fits),
                    median(executorShares), median(driverShares), median(perWorker), bytes / rounds, heapPeakMb(),
                    rounds, null, null);
        } catch (InvalidInputException e) {
            return Measurement.unsuccessful(workers, parameters, "refused", e.getMessage());
        } catch (OutOfMemoryError e) {
            return Measurement.unsuccessful(workers, parameters, "failed", "OutOfMemoryError: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Measurement.unsuccessful(workers, parameters, "failed", "interrupted");
        } catch (RuntimeException e) {
            String reason = reason(e);
            boolean overResultSize = reason.contains("spark.driver.maxResultSize");
            return Measurement.unsuccessful(workers, parameters, overResultSize ? "refused" : "failed", reason);
        } finally {
            sc.setLocalProperty(DriverResultBytes.TAG, previousTag);
            sc.sc().removeSparkListener(results);
        }
    }

    /** The first line of the innermost Spark failure's message, else of the outermost one. */
    private static String reason(Throwable e) {
        Throwable shown = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkException) {
                shown = t;
            }
        }
        String message = String.valueOf(shown.getMessage());
        String line = message.lines().findFirst().orElse("");
        return shown.getClass().getSimpleName() + ": " + line;
    }

    /**
     * A network of about {@code targetParameters} parameters: {@code h} inputs, one plastic hidden layer of
     * {@code h} units with every mechanism on (as the other benchmarks train it), a softmax of 10 classes,
     * Adam; {@code h} the width whose parameter count comes closest to the target. Parameters count every
     * value a worker's network holds in its parameter vector, learned and plastic state alike (what the
     * master averages); the updater state, about as large again, travels with it.
     */
    static NetworkSpec network(long targetParameters) {
        int low = 1;
        int high = 1;
        while (parameterCount(spec(high)) < targetParameters) {
            high *= 2;
        }
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (parameterCount(spec(middle)) < targetParameters) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if (low > 1 && targetParameters - parameterCount(spec(low - 1)) < parameterCount(spec(low)) - targetParameters) {
            low--;
        }
        return spec(low);
    }

    private static NetworkSpec spec(int width) {
        return new NetworkSpec(width, List.of(new LayerSpec(width, "relu", PlasticityBenchmark.allMechanisms())),
                OutputSpec.classification(CLASSES), UpdaterSpec.adam(1e-3), 42, NetworkSpec.Variant.PLASTIC);
    }

    /** Parameters of the network {@code spec} builds, counted from its configuration without allocating them. */
    static long parameterCount(NetworkSpec spec) {
        MultiLayerConfiguration configuration = NetworkFactory.configuration(spec, NetworkFactory.Rewiring.BY_TRAINER,
                DataType.FLOAT);
        long count = 0;
        for (NeuralNetConfiguration layer : configuration.getConfs()) {
            count += layer.getLayer().initializer().numParams(layer);
        }
        return count;
    }

    private static List<DataSet> syntheticMinibatches(int features, int count, int batch) {
        Random random = new Random(7);
        List<DataSet> minibatches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[][] x = new float[batch][features];
            float[][] y = new float[batch][CLASSES];
            for (int row = 0; row < batch; row++) {
                for (int j = 0; j < features; j++) {
                    x[row][j] = random.nextFloat();
                }
                y[row][random.nextInt(CLASSES)] = 1f;
            }
            minibatches.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return minibatches;
    }

    private static void resetHeapPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak usage since the last reset (their peaks need not coincide: an upper bound). */
    private static double heapPeakMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private void provenance(PrintStream out, SparkSession spark, LoopbackCluster cluster) {
        Map<String, String> versions = SoftwareVersions.current();
        out.println("scaling: cost of one averaging round of the resident master against workers N and parameters P");
        out.println("date_utc: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.println("git_commit: " + gitCommit());
        out.println("java: " + versions.get("java"));
        out.println("spark: " + versions.get("spark"));
        out.println("deeplearning4j: " + versions.get("deeplearning4j"));
        out.println("cores: " + Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "load_average: %.2f%n", loadAverage());
        String sparkMaster = spark.sparkContext().master();
        if (cluster != null) {
            out.printf(Locale.ROOT, "master: %s (standalone on 127.0.0.1 started by this benchmark: %d executors of "
                    + "1 core and %s, in JVMs of their own; logs in %s)%n", sparkMaster, standalone, executorMemory,
                    cluster.home());
        } else {
            out.println("master: " + sparkMaster);
        }
        out.printf(Locale.ROOT, "driver_max_heap_mb: %d%n", Runtime.getRuntime().maxMemory() >> 20);
        out.println("spark.driver.maxResultSize: " + spark.sparkContext().getConf().get("spark.driver.maxResultSize", "1g"));
        conf.forEach((key, value) -> out.println("conf: " + key + "=" + value));
        out.println(sparkMaster.startsWith("local")
                ? "driver_peak_heap_note: embedded mode, the executors run inside the driver JVM: their tasks' heap "
                        + "counts too; sum of the heap pools' peaks since the configuration began"
                : "driver_peak_heap_note: the driver JVM alone (executors in JVMs of their own); sum of the heap "
                        + "pools' peaks since the configuration began");
        out.printf(Locale.ROOT, "fit_work: %d warm-up and %d measured rounds per configuration, one minibatch of %d "
                + "synthetic examples per worker and round (averaging_frequency 1), Adam, updater averaged%n",
                warmUpRounds, rounds, batch);
        out.println("network: h inputs -> h plastic units (relu, all four mechanisms) -> 10 softmax; parameters counts "
                + "learned parameters and plastic state, the vector the master averages; Adam's state travels too");
        out.println("round_overhead_ms: median of RoundResult.overheadMs() (round wall time minus the slowest "
                + "worker's fit); driver_bytes_per_round: task result bytes of each measured round's jobs / rounds");
        out.println("task_ms_per_slot: the round's task time on executors (deserialize + run, fits included) / task "
                + "slots, what the executors' cores were busy for; driver_ms: round wall time minus that, the share "
                + "no number of executors shortens (scheduling, broadcast, collecting, the driver's own work)");
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** HEAD of the checkout the benchmark runs from ({@code neuroplastic.home}, else the working folder). */
    private static String gitCommit() {
        String home = System.getProperty("neuroplastic.home", ".");
        try {
            String head = git(home, "rev-parse", "HEAD");
            String changes = git(home, "status", "--porcelain", "--untracked-files=no");
            return head == null ? "unknown (not run from a git checkout)"
                    : head + (changes == null || changes.isEmpty() ? "" : " (with uncommitted changes)");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    private static String git(String folder, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", folder));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            return null;
        }
        return output;
    }

    /** The jar this class was loaded from: the application jar when run by bin/benchmark. */
    private static Path applicationJar() {
        try {
            Path location = Path.of(ScalingBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
                throw new IllegalStateException("--standalone and spark:// masters need the application jar; this "
                        + "class was loaded from " + location + " (run it with bin/benchmark scaling)");
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the application jar", e);
        }
    }

    /** This JVM's --add-opens options (bin/benchmark's list), which the cluster's JVMs need as well. */
    private static List<String> addOpens() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens")).toList();
    }

    /**
     * One configuration's figures, or why there are none.
     *
     * @param outcome null when measured, else {@code refused} or {@code failed}
     * @param reason  the one-line reason when not measured
     */
    record Measurement(int workers, long parameters, double overheadMs, double roundWallMs, double slowestFitMs,
                       double taskMsPerSlot, double driverMs, double taskMsPerWorker, long driverBytesPerRound,
                       double driverPeakHeapMb, int rounds, String outcome, String reason) {

        static Measurement unsuccessful(int workers, long parameters, String outcome, String reason) {
            return new Measurement(workers, parameters, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, -1, Double.NaN, 0, outcome, InvalidInputException.oneLine(reason));
        }

        boolean succeeded() {
            return outcome == null;
        }

        String line() {
            if (!succeeded()) {
                return String.format(Locale.ROOT, "workers: %d parameters: %d %s: %s", workers, parameters, outcome, reason);
            }
            return String.format(Locale.ROOT, "workers: %d parameters: %d round_overhead_ms: %.1f driver_ms: %.1f "
                    + "task_ms_per_slot: %.1f driver_bytes_per_round: %d driver_peak_heap_mb: %.0f round_wall_ms: %.1f "
                    + "slowest_fit_ms: %.1f rounds: %d", workers, parameters, overheadMs, driverMs, taskMsPerSlot,
                    driverBytesPerRound, driverPeakHeapMb, roundWallMs, slowestFitMs, rounds);
        }
    }
}
