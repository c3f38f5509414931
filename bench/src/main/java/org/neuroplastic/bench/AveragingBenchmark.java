package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.train.EpochOutputs;
import org.neuroplastic.jobs.train.EpochReport;
import org.neuroplastic.jobs.train.MinibatchLayout;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.StockAveragingMaster;
import org.neuroplastic.jobs.train.StructuralRewiring;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures what a parameter-averaging round costs, stock DL4J master against the resident one, side
 * by side in one JVM, on the plastic 784-256-128-10 network (every mechanism on) and the 60,000
 * Fashion-MNIST training images (synthetic data of the same shape when the Debian package
 * dataset-fashion-mnist is not installed).
 *
 * <p>Prints one line per metric, {@code <metric> resident=<value> stock=<value>}:
 * {@code round_overhead_ms} (an epoch's wall time minus the summed time of each round's slowest
 * worker inside fit, per round), {@code local2_vs_local1_epoch_speedup}, {@code
 * spark2_vs_single_jvm_speedup} (plain single-JVM fit with two native threads over local[2]),
 * {@code examples_used_fraction}, {@code trajectory_write_s} (appending the last epoch's rows to Parquet
 * from the executors, waited for at the end), {@code trajectory_wait_s} (the median time the next epoch's
 * hand-over waited for the previous epoch's write, which overlaps that next epoch),
 * {@code trajectory_overhead} (the measured epochs' wall time with trajectories on, those waits and the last
 * write included, over off) and {@code diagnostics_overhead} (epoch time with trajectories and the representation diagnostics
 * every 10 steps over trajectories alone). Spark phases run one native thread per task so two tasks fill
 * the two cores.
 *
 * <p>Data: {@link FashionMnistMinibatches}.
 */
@Command(name = "benchmark averaging", sortOptions = false,
        description = "Parameter-averaging rounds, stock DL4J master against the resident one, on the plastic "
                + "784-256-128-10 network and Fashion-MNIST.")
public final class AveragingBenchmark extends BenchmarkCommand {

    private static final int WORKERS = 2;
    /** Steps between two readings of the representation diagnostics in the run that measures their cost. */
    private static final int DIAGNOSTICS_EVERY = 10;
    /**
     * Unmeasured epochs before the measured ones of the runs with trajectories off and on: two, so that the
     * first trajectory writes (the JVM's first Spark SQL jobs, which load and compile what later ones reuse)
     * are done before the measured epochs.
     */
    private static final int WARM_UP_EPOCHS = 2;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2",
            description = "Measured epochs per resident configuration, after two warm-up epochs on local[2] and one on "
                    + "local[1] (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--stock-epochs", paramLabel = "N", defaultValue = "1",
            description = "Measured epochs of the stock master, after one warm-up epoch (default: ${DEFAULT-VALUE}).")
    int stockEpochs;

    @Option(names = "--averaging-frequency", paramLabel = "K", defaultValue = "10",
            description = "Minibatches per worker between two averagings (default: ${DEFAULT-VALUE}).")
    int averagingFrequency;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128",
            description = "Examples per minibatch (default: ${DEFAULT-VALUE}).")
    int batch;

    private final List<Double> trajectoryWaitSeconds = new ArrayList<>();
    private double lastTrajectoryWriteSeconds;
    private double trajectoriesOffSeconds;
    private double trajectoriesOnSeconds;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new AveragingBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (epochs < 1 || stockEpochs < 1 || averagingFrequency < 1 || batch < 1) {
            throw badArgument(String.format(Locale.ROOT,
                    "--epochs, --stock-epochs, --averaging-frequency and --batch must be >= 1; found %d, %d, %d, %d",
                    epochs, stockEpochs, averagingFrequency, batch));
        }
        System.out.println("averaging: parameter-averaging rounds, stock master against the resident one");
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(System.out);
        run();
        return 0;
    }

    private void run() throws IOException {
        boolean real = FashionMnistMinibatches.installed();
        List<DataSet> data = real ? FashionMnistMinibatches.training(batch) : FashionMnistMinibatches.synthetic(60_000, batch);
        long examples = data.stream().mapToLong(DataSet::numExamples).sum();
        System.out.printf("data %s examples=%d minibatches=%d batch=%d averaging_frequency=%d workers=%d%n",
                real ? "fashion-mnist" : "synthetic", examples, data.size(), batch, averagingFrequency, WORKERS);

        BenchmarkSession.nativeThreads(2);
        double single = singleJvmEpochSeconds(data);
        System.out.printf("single_jvm_epoch_s %.3f%n", single);

        BenchmarkSession.nativeThreads(1);
        SparkSession spark = BenchmarkSession.spark("local[2]", "averaging-benchmark");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<List<EpochReport>> interleaved = residentWithAndWithoutTrajectories(sc, data);
        List<EpochReport> residentOff = interleaved.get(0);
        List<EpochReport> residentOn = interleaved.get(1);
        List<EpochReport> residentProbed = interleaved.get(2);
        List<EpochReport> stock = stock(sc, data, examples);
        spark.stop();

        SparkSession oneCore = BenchmarkSession.spark("local[1]", "averaging-benchmark");
        List<EpochReport> residentOneCore = resident(JavaSparkContext.fromSparkContext(oneCore.sparkContext()), data,
                "bench-local1");
        oneCore.stop();

        double residentEpoch = medianSeconds(residentOff);
        double stockEpoch = medianSeconds(stock);
        print("resident local[2] trajectories off", residentOff);
        print("resident local[2] trajectories on", residentOn);
        print("resident local[2] diagnostics every " + DIAGNOSTICS_EVERY, residentProbed);
        print("resident local[1] trajectories off", residentOneCore);
        print("stock local[2]", stock);
        System.out.printf("round_overhead_ms resident=%.1f stock=%.1f%n", meanOverhead(residentOff),
                meanOverhead(stock));
        System.out.printf("local2_vs_local1_epoch_speedup resident=%.3f stock=not_measured%n",
                medianSeconds(residentOneCore) / residentEpoch);
        System.out.printf("spark2_vs_single_jvm_speedup resident=%.3f stock=%.3f%n", single / residentEpoch,
                single / stockEpoch);
        System.out.printf("examples_used_fraction resident=%.4f stock=%.4f%n", minFraction(residentOff),
                minFraction(stock));
        System.out.printf("trajectory_write_s resident=%.3f stock=not_measured%n", lastTrajectoryWriteSeconds);
        System.out.printf("trajectory_wait_s resident=%.3f stock=not_measured%n",
                median(trajectoryWaitSeconds.stream().mapToDouble(Double::doubleValue).toArray()));
        System.out.printf("trajectory_overhead resident=%.3f stock=not_applicable%n",
                trajectoriesOnSeconds / trajectoriesOffSeconds);
        System.out.printf("diagnostics_overhead resident=%.3f stock=not_applicable%n",
                medianSeconds(residentProbed) / medianSeconds(residentOn));
    }

    private List<EpochReport> resident(JavaSparkContext sc, List<DataSet> data, String runId) {
        TrainingSettings settings = settings(false);
        JavaRDD<DataSet> rdd = MinibatchLayout.distribute(sc, data, WORKERS);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope(runId, null, 0), new PlasticityLayerMetrics())) {
            master.addRoundListener(new StructuralRewiring());
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network(NetworkFactory.Rewiring.BY_TRAINER), master);
            return fitEpochs(master, spark, rdd, epochs + 1).subList(1, epochs + 1);
        }
    }

    /**
     * Runs epochs with trajectories off, on, and on with the representation diagnostics every
     * {@link #DIAGNOSTICS_EVERY} steps (three runs, each with its own network): {@link #WARM_UP_EPOCHS} warm-up
     * epochs off and on, then the measured epochs off split in two blocks around the measured epochs on, so
     * that a machine that speeds up or slows down steadily during the run weighs on both alike; then the
     * diagnostics' run. The run with trajectories on hands each epoch's rows to {@link EpochOutputs} as the
     * train job does, so that each epoch's write overlaps the next epoch; its measured time starts with the
     * warm-up's writes done and includes every wait for the previous epoch's write and, at the end, for the
     * last one's: as many writes as epochs.
     */
    private List<List<EpochReport>> residentWithAndWithoutTrajectories(JavaSparkContext sc, List<DataSet> data)
            throws IOException {
        JavaRDD<DataSet> rdd = MinibatchLayout.distribute(sc, data, WORKERS);
        try (ResidentAveragingMaster off = new ResidentAveragingMaster(settings(false),
                new TrajectoryScope("bench-off", null, 0), new PlasticityLayerMetrics());
             ResidentAveragingMaster on = new ResidentAveragingMaster(settings(true),
                     new TrajectoryScope("bench-on", null, 0), new PlasticityLayerMetrics());
             ResidentAveragingMaster probed = new ResidentAveragingMaster(settings(true).withDiagnosticsEvery(
                     DIAGNOSTICS_EVERY), new TrajectoryScope("bench-probed", null, 0), new PlasticityLayerMetrics())) {
            off.addRoundListener(new StructuralRewiring());
            on.addRoundListener(new StructuralRewiring());
            probed.addRoundListener(new StructuralRewiring());
            SparkDl4jMultiLayer offSpark = new SparkDl4jMultiLayer(sc, network(NetworkFactory.Rewiring.BY_TRAINER), off);
            SparkDl4jMultiLayer onSpark = new SparkDl4jMultiLayer(sc, network(NetworkFactory.Rewiring.BY_TRAINER), on);
            SparkDl4jMultiLayer probedSpark = new SparkDl4jMultiLayer(sc, network(NetworkFactory.Rewiring.BY_TRAINER),
                    probed);
            SparkSession session = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            Storage storage = Storage.of(new Configuration());
            Location out = storage.locate(System.getProperty("java.io.tmpdir") + "/averaging-benchmark-"
                    + System.nanoTime());
            List<EpochReport> offReports = new ArrayList<>();
            List<EpochReport> onReports = new ArrayList<>();
            List<EpochReport> probedReports = new ArrayList<>();
            try {
                fitEpochs(off, offSpark, rdd, WARM_UP_EPOCHS);
                try (EpochOutputs outputs = new EpochOutputs("bench-on", new TrajectoryWriter(session),
                        new ResultWriter(session), storage, out)) {
                    for (int e = 0; e < WARM_UP_EPOCHS; e++) {
                        on.fitEpoch(onSpark, rdd);
                        outputs.trajectory(on.takeTrajectory());
                    }
                    outputs.await();
                    long offStart = System.nanoTime();
                    offReports.addAll(fitEpochs(off, offSpark, rdd, epochs / 2));
                    long offNanos = System.nanoTime() - offStart;
                    long onStart = System.nanoTime();
                    for (int e = 0; e < epochs; e++) {
                        onReports.add(on.fitEpoch(onSpark, rdd));
                        long handOver = System.nanoTime();
                        outputs.trajectory(on.takeTrajectory());
                        trajectoryWaitSeconds.add((System.nanoTime() - handOver) / 1e9);
                    }
                    long lastWrite = System.nanoTime();
                    outputs.await();
                    long onEnd = System.nanoTime();
                    lastTrajectoryWriteSeconds = (onEnd - lastWrite) / 1e9;
                    trajectoriesOnSeconds = (onEnd - onStart) / 1e9;
                    offStart = System.nanoTime();
                    offReports.addAll(fitEpochs(off, offSpark, rdd, epochs - epochs / 2));
                    trajectoriesOffSeconds = (offNanos + System.nanoTime() - offStart) / 1e9;
                }
                for (int e = 0; e < WARM_UP_EPOCHS + epochs; e++) {
                    EpochReport report = probed.fitEpoch(probedSpark, rdd);
                    if (e >= WARM_UP_EPOCHS) {
                        probedReports.add(report);
                    }
                    probed.takeTrajectory().release();
                }
            } finally {
                storage.delete(out);
            }
            return List.of(offReports, onReports, probedReports);
        }
    }

    /** {@code count} epochs of a run with trajectories off. */
    private static List<EpochReport> fitEpochs(ResidentAveragingMaster master, SparkDl4jMultiLayer spark,
                                               JavaRDD<DataSet> rdd, int count) {
        List<EpochReport> reports = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            reports.add(master.fitEpoch(spark, rdd));
        }
        return reports;
    }

    private TrainingSettings settings(boolean trajectories) {
        return TrainingSettings.resident(WORKERS, batch, averagingFrequency, epochs + 1).withTrajectories(trajectories);
    }

    private List<EpochReport> stock(JavaSparkContext sc, List<DataSet> data, long examples) {
        TrainingSettings settings = TrainingSettings.resident(WORKERS, batch, averagingFrequency, stockEpochs + 1)
                .withAveraging(TrainingSettings.Averaging.STOCK).withTrajectories(false);
        StockAveragingMaster master = new StockAveragingMaster(sc, settings, batch, 12345);
        JavaRDD<DataSet> rdd = MinibatchLayout.distribute(sc, data, WORKERS);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network(NetworkFactory.Rewiring.BY_TRAINER), master.trainingMaster());
        List<EpochReport> reports = new ArrayList<>();
        for (int e = 0; e <= stockEpochs; e++) {
            reports.add(master.fitEpoch(spark, rdd, examples));
        }
        rdd.unpersist(false);
        return reports.subList(1, stockEpochs + 1);
    }

    private double singleJvmEpochSeconds(List<DataSet> data) {
        MultiLayerNetwork network = network(NetworkFactory.Rewiring.BY_LAYER);
        double[] seconds = new double[epochs];
        for (int e = 0; e <= epochs; e++) {
            long start = System.nanoTime();
            for (DataSet minibatch : data) {
                network.fit(minibatch);
            }
            if (e > 0) {
                seconds[e - 1] = (System.nanoTime() - start) / 1e9;
            }
        }
        return median(seconds);
    }

    /**
     * The plastic 784-256-128-10 network with every mechanism on, as the model's own benchmark trains it.
     * Spark training leaves rewiring to the driver; single-JVM training lets the layers rewire themselves.
     */
    private static MultiLayerNetwork network(NetworkFactory.Rewiring rewiring) {
        return NetworkFactory.build(PlasticityBenchmark.spec(NetworkSpec.Variant.PLASTIC), rewiring, DataType.FLOAT);
    }


    private static void print(String label, List<EpochReport> reports) {
        for (EpochReport r : reports) {
            System.out.printf("epoch %-36s wall_s=%.3f rounds=%d round_overhead_ms=%.1f examples_used=%d/%d%n",
                    label, r.wallSeconds(), r.rounds(), r.roundOverheadMs(), r.examplesUsed(), r.examplesTotal());
        }
    }

    private static double medianSeconds(List<EpochReport> reports) {
        return median(reports.stream().mapToDouble(EpochReport::wallSeconds).toArray());
    }

    private static double meanOverhead(List<EpochReport> reports) {
        return reports.stream().mapToDouble(EpochReport::roundOverheadMs).average().orElse(Double.NaN);
    }

    private static double minFraction(List<EpochReport> reports) {
        return reports.stream().mapToDouble(EpochReport::examplesUsedFraction).min().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
