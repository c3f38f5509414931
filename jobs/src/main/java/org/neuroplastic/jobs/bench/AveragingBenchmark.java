package org.neuroplastic.jobs.bench;

import org.apache.hadoop.conf.Configuration;
import org.neuroplastic.jobs.train.MinibatchLayout;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.neuroplastic.jobs.config.AugmentationSettings;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.ReplaySettings;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.train.EpochReport;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.StockAveragingMaster;
import org.neuroplastic.jobs.train.StructuralRewiring;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.model.bench.PlasticityBenchmark;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

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
 * {@code examples_used_fraction}, {@code trajectory_write_s} (appending an epoch's rows to Parquet from
 * the executors), {@code trajectory_overhead} (epoch time with trajectories on, plus that write, over
 * off) and {@code diagnostics_overhead} (epoch time with trajectories and the representation diagnostics
 * every 10 steps over trajectories alone). Spark phases run one native thread per task so two tasks fill
 * the two cores.
 *
 * <p>Arguments (all optional): {@code --epochs N} measured epochs per configuration after one
 * warm-up epoch (default 2), {@code --stock-epochs N} (default 1), {@code --averaging-frequency K}
 * (default 10), {@code --batch B} (default 128).
 */
public final class AveragingBenchmark {

    private static final String FASHION_MNIST = "file:///usr/share/datasets/fashion-mnist";
    private static final Storage STORAGE = Storage.of(new Configuration());
    private static final int WORKERS = 2;
    /** Steps between two readings of the representation diagnostics in the run that measures their cost. */
    private static final int DIAGNOSTICS_EVERY = 10;

    private final int epochs;
    private final int stockEpochs;
    private final List<Double> trajectoryWriteSeconds = new ArrayList<>();
    private final int averagingFrequency;
    private final int batch;

    private AveragingBenchmark(int epochs, int stockEpochs, int averagingFrequency, int batch) {
        this.epochs = epochs;
        this.stockEpochs = stockEpochs;
        this.averagingFrequency = averagingFrequency;
        this.batch = batch;
    }

    public static void main(String[] args) throws IOException {
        int epochs = 2;
        int stockEpochs = 1;
        int frequency = 10;
        int batch = 128;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("argument " + args[i] + " needs a value");
            }
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--epochs" -> epochs = value;
                case "--stock-epochs" -> stockEpochs = value;
                case "--averaging-frequency" -> frequency = value;
                case "--batch" -> batch = value;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --epochs, --stock-epochs, --averaging-frequency or --batch");
            }
        }
        new AveragingBenchmark(epochs, stockEpochs, frequency, batch).run();
    }

    private void run() throws IOException {
        boolean real = STORAGE.exists(fashionMnist("train-images-idx3-ubyte.gz"));
        List<DataSet> data = real ? fashionMnist(batch) : synthetic(60_000, batch);
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
        double trajectoryWrite = median(trajectoryWriteSeconds.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf("trajectory_write_s resident=%.3f stock=not_measured%n", trajectoryWrite);
        System.out.printf("trajectory_overhead resident=%.3f stock=not_applicable%n",
                (medianSeconds(residentOn) + trajectoryWrite) / residentEpoch);
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
            for (int e = 0; e <= epochs; e++) {
                spark.fit(rdd);
            }
            return master.epochReports().subList(1, epochs + 1);
        }
    }

    /**
     * Alternates epochs with trajectories off, on, and on with the representation diagnostics every
     * {@link #DIAGNOSTICS_EVERY} steps (three runs, each with its own network), so that drifting load on the
     * machine weighs on all alike.
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
            TrajectoryWriter writer = new TrajectoryWriter(SparkSession.builder().sparkContext(sc.sc()).getOrCreate());
            Location out = STORAGE.locate(System.getProperty("java.io.tmpdir") + "/averaging-benchmark-"
                    + System.nanoTime());
            try {
                for (int e = 0; e <= epochs; e++) {
                    offSpark.fit(rdd);
                    onSpark.fit(rdd);
                    long start = System.nanoTime();
                    on.writeTrajectory(writer, out);
                    if (e > 0) {
                        trajectoryWriteSeconds.add((System.nanoTime() - start) / 1e9);
                    }
                    probedSpark.fit(rdd);
                    probed.pendingTrajectory().release();
                }
            } finally {
                STORAGE.delete(out);
            }
            return List.of(off.epochReports().subList(1, epochs + 1), on.epochReports().subList(1, epochs + 1),
                    probed.epochReports().subList(1, epochs + 1));
        }
    }

    private TrainingSettings settings(boolean trajectories) {
        return new TrainingSettings(WORKERS, batch, averagingFrequency, epochs + 1, true,
                TrainingSettings.Averaging.RESIDENT, trajectories, ConsolidationSettings.NONE, AugmentationSettings.NONE, 0, ReplaySettings.OFF);
    }

    private List<EpochReport> stock(JavaSparkContext sc, List<DataSet> data, long examples) {
        TrainingSettings settings = new TrainingSettings(WORKERS, batch, averagingFrequency, stockEpochs + 1, true,
                TrainingSettings.Averaging.STOCK, false, ConsolidationSettings.NONE, AugmentationSettings.NONE, 0, ReplaySettings.OFF);
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

    private static List<DataSet> fashionMnist(int batch) throws IOException {
        float[][] images = images(fashionMnist("train-images-idx3-ubyte.gz"));
        int[] labels = labels(fashionMnist("train-labels-idx1-ubyte.gz"));
        return minibatches(images, labels, batch);
    }

    private static List<DataSet> synthetic(int examples, int batch) {
        Random random = new Random(1);
        float[][] images = new float[examples][784];
        int[] labels = new int[examples];
        for (int i = 0; i < examples; i++) {
            labels[i] = random.nextInt(10);
            for (int j = 0; j < 784; j++) {
                images[i][j] = (float) Math.max(0, random.nextGaussian() * 0.3 + (j % 10 == labels[i] ? 0.5 : 0));
            }
        }
        return minibatches(images, labels, batch);
    }

    private static List<DataSet> minibatches(float[][] images, int[] labels, int batch) {
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.length; from += batch) {
            int size = Math.min(batch, images.length - from);
            float[][] x = Arrays.copyOfRange(images, from, from + size);
            float[][] y = new float[size][10];
            for (int i = 0; i < size; i++) {
                y[i][labels[from + i]] = 1f;
            }
            batches.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return batches;
    }

    private static Location fashionMnist(String file) {
        return STORAGE.locate(FASHION_MNIST).resolve(file);
    }

    private static float[][] images(Location file) throws IOException {
        try (DataInputStream in = idx(file, 2051)) {
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            float[][] images = new float[count][pixels];
            byte[] row = new byte[pixels];
            for (int i = 0; i < count; i++) {
                in.readFully(row);
                for (int j = 0; j < pixels; j++) {
                    images[i][j] = (row[j] & 0xff) / 255f;
                }
            }
            return images;
        }
    }

    private static int[] labels(Location file) throws IOException {
        try (DataInputStream in = idx(file, 2049)) {
            int[] labels = new int[in.readInt()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        }
    }

    private static DataInputStream idx(Location file, int magic) throws IOException {
        InputStream raw = new GZIPInputStream(STORAGE.open(file));
        DataInputStream in = new DataInputStream(raw);
        int found = in.readInt();
        if (found != magic) {
            in.close();
            throw new IOException(file + ": IDX magic number must be " + magic + ", found " + found);
        }
        return in;
    }
}
