package org.neuroplastic.bench;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.train.RoundBudget;
import org.neuroplastic.model.network.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
public final class ScalingBenchmark extends BenchmarkCommand {

    /** The P at which the fit's predictions are printed. */
    static final long PREDICTION_PARAMETERS = 2_000_000;
    static final int[] PREDICTION_WORKERS = {64, 256};

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

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new ScalingBenchmark(), args);
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
                List<Path> jars = applicationJars();
                cluster = LoopbackCluster.start(standalone, executorMemory, jars, jvmOptions(),
                        jars.get(1).getParent().resolve("scaling-cluster"));
                url = cluster.masterUrl();
                settings.putAll(cluster.driverSettings());
            } else if (!master.startsWith("local")) {
                settings.put("spark.jars", String.join(",", applicationJars().stream().map(Path::toString).toList()));
                settings.put("spark.executor.extraJavaOptions", String.join(" ", jvmOptions()));
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
                throw badArgument("--workers must be in [1, " + TrainingSettings.MAX_WORKERS + "], found " + n);
            }
        }
        for (long p : parameters) {
            if (p < 100) {
                throw badArgument("--parameters must be >= 100, found " + p);
            }
        }
        if (largeParameters != 0 && largeParameters < 100) {
            throw badArgument("--large-parameters must be 0 or >= 100, found " + largeParameters);
        }
        if (rounds < 1 || warmUpRounds < 0 || batch < 1 || standalone < 0) {
            throw badArgument(String.format(Locale.ROOT,
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
        ScalingMeasurement warmUp = ScalingRounds.measure(spark, 2, ScalingNetwork.network(smallest), warmUpRounds, rounds,
                batch, true);
        out.printf(Locale.ROOT, "warm_up: workers: 2 parameters: %d %s (JIT and Spark warm-up, not reported below)%n",
                warmUp.parameters(), warmUp.succeeded() ? "done" : warmUp.outcome() + ": " + warmUp.reason());
        List<ScalingFit.Point> points = new ArrayList<>();
        List<ScalingMeasurement> measured = new ArrayList<>();
        int slots = spark.sparkContext().defaultParallelism();
        for (int[] configuration : grid) {
            NetworkSpec spec = ScalingNetwork.network(targets.get(configuration[1]));
            // With more workers than slots, also a task per worker: what a cluster of single-core executors runs.
            for (boolean grouped : configuration[0] > slots ? new boolean[] {true, false} : new boolean[] {true}) {
                ScalingMeasurement m = ScalingRounds.measure(spark, configuration[0], spec, warmUpRounds, rounds, batch,
                        grouped);
                out.println(m.line());
                out.flush();
                if (m.succeeded()) {
                    if (grouped) {
                        points.add(new ScalingFit.Point(m.workers(), m.parameters(), m.overheadMs()));
                    }
                    measured.add(m);
                }
            }
        }
        ScalingMeasurement.ratioLines(measured).forEach(out::println);
        printFit(out, points);
        ClusterEstimate.print(out, measured.stream().filter(m -> m.workersPerTask() == 1).toList(), PREDICTION_WORKERS,
                PREDICTION_PARAMETERS);
        out.println("load_average_end: " + BenchmarkProvenance.loadAverage());
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

    private void provenance(PrintStream out, SparkSession spark, LoopbackCluster cluster) {
        out.println("scaling: cost of one averaging round of the resident master against workers N and parameters P");
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(out);
        String sparkMaster = spark.sparkContext().master();
        if (cluster != null) {
            out.printf(Locale.ROOT, "master: %s (standalone on 127.0.0.1 started by this benchmark: %d executors of "
                    + "1 core and %s, in JVMs of their own; logs in %s)%n", sparkMaster, standalone, executorMemory,
                    cluster.home());
        } else {
            out.println("master: " + sparkMaster);
        }
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
                + "worker's fit); overhead_beyond_fits_ms: round wall time minus the larger of the slowest fit and "
                + "fit_ms_per_slot (the workers' summed fits over the task slots: the fitting on the round's path when "
                + "more workers than slots fit in waves); driver_bytes_per_round: task result bytes of each measured round's jobs / rounds");
        out.println("task_ms_per_slot: the round's task time on executors (deserialize + run, fits included) / task "
                + "slots, what the executors' cores were busy for; driver_ms: round wall time minus that, the share "
                + "no number of executors shortens (scheduling, broadcast, collecting, the driver's own work)");
    }

    /**
     * The jars executors need, as bin/benchmark puts them on the class path: the jobs' application jar
     * (everything but Spark; {@code lib/} beside it holds the runtime jars, Spark's included) and the
     * benchmarks' own jar.
     */
    private static List<Path> applicationJars() {
        return List.of(jarOf(TrainingSettings.class), jarOf(ScalingBenchmark.class));
    }

    private static Path jarOf(Class<?> type) {
        try {
            Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
                throw new IllegalStateException("--standalone and spark:// masters need the application jars; "
                        + type.getSimpleName() + " was loaded from " + location + " (run it with bin/benchmark scaling)");
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + type.getName(), e);
        }
    }

    /**
     * The options of this JVM its executors need too: the opens, and bin/lib/jvm-options.sh's, which bin/benchmark
     * hands over as {@code neuroplastic.jvm-options} (the property the cluster tests read for the same list).
     */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens")).toList());
        String launcher = System.getProperty("neuroplastic.jvm-options", "").trim();
        if (!launcher.isEmpty()) {
            options.addAll(List.of(launcher.split("\\s+")));
        }
        return List.copyOf(options);
    }
}
