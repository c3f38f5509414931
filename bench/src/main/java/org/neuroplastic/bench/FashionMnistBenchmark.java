package org.neuroplastic.bench;

import org.neuroplastic.model.network.ConfigName;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Minibatches;
import org.neuroplastic.jobs.train.HeldOutEvaluation;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.StructuralRewiring;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;

/**
 * Our train job's networks against an existing distributed trainer, Spark MLlib's
 * {@code MultilayerPerceptronClassifier} (L-BFGS), side by side in one JVM on the same SparkSession,
 * cores, data (the train job's loader reading the configuration's data, e.g. Fashion-MNIST's 60,000
 * training and 10,000 test images) and layer sizes.
 *
 * <p>Ours: the configuration's plastic network and its dense baseline ({@code network.variant: dense}),
 * trained as the train job trains them (resident parameter averaging, driver-side rewiring,
 * trajectories recorded when the configuration says so but not written), test accuracy after every
 * {@code --evaluate-every-rounds} averaging rounds and at every epoch's end. MLlib: the same layer
 * sizes, default block size, seeded with {@code network.seed}. MLlib has no per-iteration callback, so
 * its curve comes from warm-started chunks: each chunk is one fit of {@code --mllib-chunk} iterations
 * started from the previous chunk's weights ({@code setInitialWeights}). That restarts L-BFGS's
 * curvature history and re-stacks the data at every chunk, both of which make the chunked curve slower
 * than one uninterrupted fit; so once a chunk reaches the target, uninterrupted fits from the same seed
 * find the fewest iterations, to {@code --mllib-resolution}, at which MLlib reaches it, and MLlib's time
 * to the target is that fit's time. Both sides are thus measured at a fine granularity (ours a round,
 * MLlib a few iterations), so neither is charged for the other's coarser steps. Times are training wall
 * times, each including the conversion of the loader's rows to the trainer's input (minibatches for
 * ours, cached vectors for MLlib); evaluations run outside the clock. Each trainer's untimed warm-up
 * directly precedes its timed runs: {@code --warm-up-epochs} epochs of each of our networks on the whole
 * training set, one MLlib iteration on it. Ours has to be that long because on two cores the JIT
 * compilers compete with training for the CPU: after the earlier warm-up on 4,096 rows the plastic
 * network, timed first, still paid for much of the compilation and the dense one, timed next on mostly
 * the same code, did not, so the order of the runs decided part of the plastic-versus-dense difference
 * (RESULTS.md, Fashion-MNIST). And it has to be its own: a trial build that ran MLlib's iteration
 * between our warm-up and our timed runs slowed the plastic network's first round.
 *
 * <p>Prints the curves as a table, then {@code name key=value} lines: {@code time_to_target_s},
 * {@code final_accuracy}, {@code ours_vs_mllib_time_to_target} (goal at most 1/20) and the load average.
 *
 * <p>Arguments (all optional): {@code --master URL} (default local[2]), {@code --config FILE} (the train job's configuration; bin/benchmark
 * passes conf/fashion-mnist.yaml), {@code --set KEY=VALUE} (repeatable, as the train command's),
 * {@code --epochs N} (ours, default 5), {@code --mllib-iterations N} (the chunked curve's iterations,
 * default 150: on Fashion-MNIST 125 reached 0.85 in one fit, 1-4 s each on two cores), {@code --mllib-chunk N}
 * (default 25: shorter chunks restart L-BFGS more often; chunks of 10 were still at 0.839 after 120),
 * {@code --mllib-confirm true|false} (default true: the uninterrupted fits), {@code --mllib-resolution N}
 * (default 5 iterations), {@code --evaluate-every-rounds N} (default 1; 0 evaluates at epochs' ends only),
 * {@code --target A} (default 0.85), {@code --warm-up-epochs N} (default 2; 0: no warm-up, a cold JVM
 * like one {@code spark-submit}'s, whose JIT compilation the first timed network pays most of).
 */
public final class FashionMnistBenchmark {

    private static final String DENSE = "dense";
    private static final String PLASTIC = "plastic";
    private static final String MLLIB = "mllib";

    private final String master;
    private final String config;
    private final List<String> sets;
    private final int epochs;
    private final int mllibIterations;
    private final int mllibChunk;
    private final boolean mllibConfirm;
    private final int mllibResolution;
    private final int evaluateEveryRounds;
    private final double target;
    private final int warmUpEpochs;
    private final List<Point> points = new ArrayList<>();

    /** One measurement of a curve: test accuracy after {@code seconds} of training. */
    private record Point(String trainer, String progress, double seconds, double accuracy) {
    }

    private FashionMnistBenchmark(String master, String config, List<String> sets, int epochs, int mllibIterations, int mllibChunk,
                                  boolean mllibConfirm, int mllibResolution, int evaluateEveryRounds, double target,
                                  int warmUpEpochs) {
        this.master = master;
        this.config = config;
        this.sets = sets;
        this.epochs = epochs;
        this.mllibIterations = mllibIterations;
        this.mllibChunk = mllibChunk;
        this.mllibConfirm = mllibConfirm;
        this.mllibResolution = mllibResolution;
        this.evaluateEveryRounds = evaluateEveryRounds;
        this.target = target;
        this.warmUpEpochs = warmUpEpochs;
    }

    public static void main(String[] args) {
        String master = "local[2]";
        String config = "conf/fashion-mnist.yaml";
        List<String> sets = new ArrayList<>();
        int epochs = 5;
        int mllibIterations = 150;
        int mllibChunk = 25;
        boolean mllibConfirm = true;
        int mllibResolution = 5;
        int evaluateEveryRounds = 1;
        double target = 0.85;
        int warmUpEpochs = 2;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("argument " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--master" -> master = value;
                case "--config" -> config = value;
                case "--set" -> sets.add(value);
                case "--epochs" -> epochs = positive(args[i], value);
                case "--mllib-iterations" -> mllibIterations = positive(args[i], value);
                case "--mllib-chunk" -> mllibChunk = positive(args[i], value);
                case "--mllib-confirm" -> mllibConfirm = Boolean.parseBoolean(value);
                case "--mllib-resolution" -> mllibResolution = positive(args[i], value);
                case "--evaluate-every-rounds" -> evaluateEveryRounds = atLeast(args[i], value, 0);
                case "--target" -> target = Double.parseDouble(value);
                case "--warm-up-epochs" -> warmUpEpochs = atLeast(args[i], value, 0);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; expected --master, --config, "
                        + "--set, --epochs, --mllib-iterations, --mllib-chunk, --mllib-confirm, --mllib-resolution, "
                        + "--evaluate-every-rounds, --target or --warm-up-epochs");
            }
        }
        new FashionMnistBenchmark(master, config, sets, epochs, mllibIterations, mllibChunk, mllibConfirm, mllibResolution,
                evaluateEveryRounds, target, warmUpEpochs).run();
    }

    private static int positive(String name, String value) {
        return atLeast(name, value, 1);
    }

    private static int atLeast(String name, String value, int minimum) {
        int parsed = Integer.parseInt(value);
        if (parsed < minimum) {
            throw new IllegalArgumentException(name + " must be >= " + minimum + ", found " + parsed);
        }
        return parsed;
    }

    private void run() {
        Storage storage = Storage.beforeSpark();
        TrainConfig train = TrainConfig.read(ConfigDocument.load(storage, storage.locate(config), sets));
        if (train.training().averaging() != TrainingSettings.Averaging.RESIDENT) {
            throw new IllegalArgumentException(config + ": training.master must be resident for this benchmark");
        }
        SparkSession spark = BenchmarkSession.spark(master, "fashion-mnist-benchmark");
        LoadedDataset data = DatasetLoader.load(spark, train.data(), train.network().nIn());
        if (!data.target().isClassification()) {
            throw new IllegalArgumentException(config + ": the benchmark compares classifiers; the data is regression");
        }
        NetworkSpec plastic = train.network().spec(data.features(), data.target());
        int[] layers = layers(plastic);
        System.out.printf(Locale.ROOT, "data %s train=%d test=%d layers=%s master=%s cores=%d%n", data.source(),
                data.trainRows(), data.testRows(), String.join("-", IntStream.of(layers).mapToObj(String::valueOf).toList()),
                spark.sparkContext().master(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "ours workers=%d batch_size_per_worker=%d averaging_frequency=%d updater=%s "
                        + "learning_rate=%s trajectories=%s epochs=%d evaluate_every_rounds=%d native_threads_per_task=1%n",
                train.training().workers(), train.training().batchSizePerWorker(), train.training().averagingFrequency(),
                ConfigName.of(plastic.updater().name()), plastic.updater().learningRate(),
                train.training().trajectories(), epochs, evaluateEveryRounds);
        System.out.printf(Locale.ROOT, "mllib solver=l-bfgs block_size=%d seed=%d chunk=%d iterations_max=%d "
                        + "confirm=%s resolution=%d blas=%s%n", new MultilayerPerceptronClassifier().getBlockSize(),
                plastic.seed(), mllibChunk, mllibIterations, mllibConfirm, mllibResolution, mllibBlas());
        System.out.println("mllib method: warm-started chunks (setInitialWeights restarts L-BFGS's history and "
                + "re-stacks the data each chunk: slower than one fit), then uninterrupted fits from the seed, "
                + "bisected to the resolution, find the fewest iterations that reach the target");

        BenchmarkSession.nativeThreads(1);
        NetworkSpec dense = plastic.withVariant(NetworkSpec.Variant.DENSE);
        List<DataSet> heldOut = Minibatches.ofTest(data, 1024).collect();
        int batchSize = train.training().batchSizePerWorker();
        if (warmUpEpochs > 0) {
            ours(spark, Minibatches.ofTrain(data, batchSize), heldOut, plastic, train.training().withEpochs(warmUpEpochs), null);
            ours(spark, Minibatches.ofTrain(data, batchSize), heldOut, dense, train.training().withEpochs(warmUpEpochs), null);
            System.out.printf(Locale.ROOT, "warm-up (not timed): %d epochs of each of our networks on the whole "
                    + "training set before theirs, one MLlib iteration on it before MLlib's%n", warmUpEpochs);
        } else {
            System.out.println("warm-up: none (--warm-up-epochs 0): a cold JVM, whose JIT compilation the first "
                    + "timed network pays most of");
        }

        double loadStart = loadAverage();
        TrainingSettings settings = train.training().withEpochs(epochs);
        ours(spark, Minibatches.ofTrain(data, batchSize), heldOut, plastic, settings, PLASTIC);
        ours(spark, Minibatches.ofTrain(data, batchSize), heldOut, dense, settings, DENSE);
        if (warmUpEpochs > 0) {
            Dataset<Row> warmUpVectors = vectors(data.train(), spark.sparkContext().defaultParallelism());
            new MultilayerPerceptronClassifier().setLayers(layers).setSeed(plastic.seed()).setMaxIter(1).fit(warmUpVectors);
            warmUpVectors.unpersist();
        }
        Confirmation confirmation = mllib(spark, data, layers, plastic.seed());
        double loadEnd = loadAverage();
        spark.stop();

        printTable();
        double plasticTime = timeToTarget(PLASTIC);
        double denseTime = timeToTarget(DENSE);
        double chunkedTime = timeToTarget(MLLIB);
        double mllibTime = confirmation != null && confirmation.accuracy() >= target ? confirmation.seconds() : chunkedTime;
        String mllibSource = confirmation == null ? "chunked"
                : confirmation.accuracy() >= target ? "uninterrupted" : "chunked_not_confirmed";
        System.out.printf(Locale.ROOT, "target_accuracy %.3f%n", target);
        System.out.printf(Locale.ROOT, "time_to_target_s plastic=%s dense=%s mllib=%s mllib_chunked=%s mllib_from=%s%n",
                seconds(plasticTime), seconds(denseTime), seconds(mllibTime), seconds(chunkedTime), mllibSource);
        if (confirmation != null) {
            System.out.printf(Locale.ROOT, "mllib_uninterrupted iterations=%d fit_s=%.1f accuracy=%.4f resolution=%d%n",
                    confirmation.iterationsRun(), confirmation.seconds(), confirmation.accuracy(), mllibResolution);
        }
        System.out.printf(Locale.ROOT, "final_accuracy plastic=%.4f dense=%.4f mllib=%.4f%n", last(PLASTIC).accuracy(),
                last(DENSE).accuracy(), last(MLLIB).accuracy());
        System.out.printf(Locale.ROOT, "final_progress plastic=%s dense=%s mllib=%s%n", last(PLASTIC).progress(),
                last(DENSE).progress(), last(MLLIB).progress());
        // Not reached by MLlib: its time to the target exceeds its whole curve's, which bounds the ratio.
        double mllibBound = Double.isNaN(mllibTime) ? last(MLLIB).seconds() : Double.NaN;
        System.out.printf(Locale.ROOT, "ours_vs_mllib_time_to_target plastic=%s dense=%s goal<=0.050%n",
                ratio(plasticTime, mllibTime, mllibBound), ratio(denseTime, mllibTime, mllibBound));
        System.out.printf(Locale.ROOT, "load_average start=%.2f end=%.2f%n", loadStart, loadEnd);
    }

    /**
     * Trains one of our networks for {@code settings.epochs()} epochs on {@code training}, evaluating after each
     * one; {@code trainer} null trains without recording (the warm-up).
     */
    private void ours(SparkSession spark, JavaRDD<DataSet> training, List<DataSet> heldOut, NetworkSpec spec,
                      TrainingSettings settings, String trainer) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        String runId = "bench-" + (trainer == null ? "warm-up-" + ConfigName.of(spec.variant()) : trainer);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope(runId, null, 0), new PlasticityLayerMetrics())) {
            master.addRoundListener(new StructuralRewiring());
            SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(sc, network, master);
            Stopwatch clock = new Stopwatch();
            if (trainer != null && evaluateEveryRounds > 0) {
                // Between rounds the driver's network holds the averaged parameters the next round starts
                // from; the evaluation runs with the clock stopped.
                master.addRoundObserver((round, roundsInEpoch, rows) -> {
                    int done = round.round() + 1;
                    if (done % evaluateEveryRounds == 0 && done < roundsInEpoch) {
                        clock.stop();
                        HeldOutEvaluation test = HeldOutEvaluation.of(sparkNetwork.getNetwork(), heldOut, true);
                        record(new Point(trainer, "epoch " + (round.epoch() + 1) + " round " + done + "/" + roundsInEpoch,
                                clock.seconds(), test.accuracy()));
                        clock.start();
                    }
                });
            }
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                clock.start();
                sparkNetwork.fit(training);
                clock.stop();
                master.pendingTrajectory().release();
                if (trainer != null) {
                    HeldOutEvaluation test = HeldOutEvaluation.of(sparkNetwork.getNetwork(), heldOut, true);
                    record(new Point(trainer, "epoch " + epoch, clock.seconds(), test.accuracy()));
                }
            }
        }
    }

    /** Training wall time: the sum of the intervals between each start and the stop that follows it. */
    private static final class Stopwatch {
        private long total;
        private long started = -1;

        void start() {
            started = System.nanoTime();
        }

        void stop() {
            total += System.nanoTime() - started;
            started = -1;
        }

        double seconds() {
            return total / 1e9;
        }
    }

    /** An uninterrupted MLlib fit: the iterations asked for and run (fewer once L-BFGS converges). */
    private record Confirmation(int iterations, int iterationsRun, double seconds, double accuracy) {
    }

    private Confirmation mllib(SparkSession spark, LoadedDataset data, int[] layers, long seed) {
        int partitions = spark.sparkContext().defaultParallelism();
        Dataset<Row> test = vectors(data.test(), partitions);
        // The conversion from the loader's rows to MLlib's vectors is on the clock, as the conversion to
        // minibatches is in our first epoch.
        long preparation = System.nanoTime();
        Dataset<Row> train = vectors(data.train(), partitions);
        double seconds = (System.nanoTime() - preparation) / 1e9;
        MultilayerPerceptronClassificationModel model = null;
        int iterations = 0;
        Integer atTarget = null;
        int belowTarget = 0;
        while (iterations < mllibIterations) {
            int chunk = Math.min(mllibChunk, mllibIterations - iterations);
            MultilayerPerceptronClassifier classifier = new MultilayerPerceptronClassifier().setLayers(layers)
                    .setSeed(seed).setMaxIter(chunk);
            if (model != null) {
                classifier.setInitialWeights(model.weights());
            }
            long start = System.nanoTime();
            model = classifier.fit(train);
            seconds += (System.nanoTime() - start) / 1e9;
            int done = model.summary().totalIterations();
            iterations += done;
            double value = testAccuracy(model, test);
            record(new Point(MLLIB, "iter " + iterations, seconds, value));
            if (value >= target && atTarget == null) {
                atTarget = iterations;
            } else if (atTarget == null) {
                belowTarget = iterations;
            }
            if (done < chunk) {
                break;
            }
        }
        train.unpersist(true);
        Confirmation confirmation = null;
        if (mllibConfirm && atTarget != null) {
            confirmation = uninterrupted(data, layers, seed, atTarget, test, partitions);
            if (confirmation.accuracy() >= target) {
                confirmation = earliestUninterrupted(data, layers, seed, belowTarget, confirmation, test, partitions);
            }
        }
        test.unpersist();
        return confirmation;
    }

    /**
     * Narrows MLlib's time to the target to {@code --mllib-resolution} iterations: the chunked curve only
     * brackets it within a chunk, whose length would otherwise count against MLlib. Uninterrupted fits
     * (each from the same seed, so each is the prefix of a longer one) are bisected between the last
     * chunk below the target and {@code reached}, assuming the accuracy crosses the target once there;
     * an uninterrupted fit converges faster than chunks, so the lower end is checked first.
     */
    private Confirmation earliestUninterrupted(LoadedDataset data, int[] layers, long seed, int belowTarget,
                                               Confirmation reached, Dataset<Row> test, int partitions) {
        int below = belowTarget;
        int above = reached.iterations();
        Confirmation earliest = reached;
        if (below > 0 && above - below > mllibResolution) {
            Confirmation low = uninterrupted(data, layers, seed, below, test, partitions);
            if (low.accuracy() >= target) {
                earliest = low;
                above = below;
                below = 0;
            }
        }
        while (above - below > mllibResolution) {
            int middle = below + Math.max(1, (above - below) / 2 / mllibResolution) * mllibResolution;
            Confirmation fit = uninterrupted(data, layers, seed, middle, test, partitions);
            if (fit.accuracy() >= target) {
                earliest = fit;
                above = middle;
            } else {
                below = middle;
            }
        }
        return earliest;
    }

    /** One MLlib fit of {@code iterations} from the seed, timed with its conversion of the training rows. */
    private Confirmation uninterrupted(LoadedDataset data, int[] layers, long seed, int iterations, Dataset<Row> test,
                                       int partitions) {
        MultilayerPerceptronClassifier classifier = new MultilayerPerceptronClassifier().setLayers(layers)
                .setSeed(seed).setMaxIter(iterations);
        long start = System.nanoTime();
        Dataset<Row> train = vectors(data.train(), partitions);
        MultilayerPerceptronClassificationModel model = classifier.fit(train);
        double fit = (System.nanoTime() - start) / 1e9;
        train.unpersist();
        Confirmation confirmation = new Confirmation(iterations, model.summary().totalIterations(), fit,
                testAccuracy(model, test));
        System.out.printf(Locale.ROOT, "%-8s %-12s %9.1f %9.4f  (uninterrupted)%n", MLLIB, "iter "
                + confirmation.iterationsRun(), fit, confirmation.accuracy());
        return confirmation;
    }

    private static double testAccuracy(MultilayerPerceptronClassificationModel model, Dataset<Row> test) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    }

    /** Rows of the loader's schema as MLlib's (features vector, label), cached and spread over the cores. */
    private static Dataset<Row> vectors(Dataset<Row> rows, int partitions) {
        Dataset<Row> vectors = rows.select(
                        array_to_vector(col(DatasetSchema.FEATURES).cast("array<double>")).as("features"),
                        col(DatasetSchema.LABEL).as("label"))
                .repartition(partitions)
                .persist(StorageLevel.MEMORY_ONLY());
        vectors.count();
        return vectors;
    }

    private void record(Point point) {
        points.add(point);
        System.out.printf(Locale.ROOT, "%-8s %-12s %9.1f %9.4f%n", point.trainer(), point.progress(), point.seconds(),
                point.accuracy());
    }

    private void printTable() {
        System.out.println("| trainer | progress | train_s | test_accuracy |");
        System.out.println("| --- | --- | --- | --- |");
        for (Point p : points) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.4f |%n", p.trainer(), p.progress(), p.seconds(),
                    p.accuracy());
        }
    }

    private double timeToTarget(String trainer) {
        return points.stream().filter(p -> p.trainer().equals(trainer) && p.accuracy() >= target)
                .mapToDouble(Point::seconds).findFirst().orElse(Double.NaN);
    }

    private Point last(String trainer) {
        return points.stream().filter(p -> p.trainer().equals(trainer)).reduce((a, b) -> b).orElseThrow();
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "not_reached" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(double ours, double mllib, double mllibAtLeast) {
        if (Double.isNaN(ours)) {
            return "not_measured";
        }
        if (Double.isNaN(mllib)) {
            return String.format(Locale.ROOT, "<%.3f", ours / mllibAtLeast);
        }
        return String.format(Locale.ROOT, "%.3f", ours / mllib);
    }

    private static int[] layers(NetworkSpec spec) {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(spec.nIn());
        spec.hidden().stream().map(LayerSpec::size).forEach(sizes::add);
        sizes.add(spec.output().size());
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The BLAS MLlib's network layers multiply with: native when a system BLAS loads, else a Java one. */
    private static String mllibBlas() {
        return org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS().getClass().getName();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
