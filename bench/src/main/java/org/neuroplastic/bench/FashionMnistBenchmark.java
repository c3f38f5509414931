package org.neuroplastic.bench;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Minibatches;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.train.HeldOutEvaluation;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.StructuralRewiring;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.network.ConfigName;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

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
 * <p>Split: {@link MllibCurve} measures MLlib, {@link AccuracyCurves} holds and prints the points.
 */
@Command(name = "benchmark fashion-mnist", sortOptions = false,
        description = "Our train job's plastic and dense networks against Spark MLlib's MLP: test accuracy against "
                + "training time, and the time to a target accuracy.")
public final class FashionMnistBenchmark extends BenchmarkCommand {

    private static final String DENSE = "dense";
    private static final String PLASTIC = "plastic";
    private static final String MLLIB = MllibCurve.MLLIB;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/fashion-mnist.yaml",
            description = "The train job's configuration (default: ${DEFAULT-VALUE}; bin/benchmark passes the "
                    + "checkout's, and a later --config replaces it).")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A configuration value on top of the file's, as the train command's; repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
            description = "Epochs of each of our networks (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--mllib-iterations", paramLabel = "N", defaultValue = "150",
            description = "Iterations of MLlib's chunked curve (default: ${DEFAULT-VALUE}: on Fashion-MNIST 125 "
                    + "reached 0.85 in one fit, 1-4 s each on two cores).")
    int mllibIterations;

    @Option(names = "--mllib-chunk", paramLabel = "N", defaultValue = "25",
            description = "Iterations per warm-started chunk (default: ${DEFAULT-VALUE}; shorter chunks restart "
                    + "L-BFGS more often: chunks of 10 were still at 0.839 after 120).")
    int mllibChunk;

    @Option(names = "--mllib-confirm", paramLabel = "true|false", arity = "1", defaultValue = "true",
            description = "Run the uninterrupted fits that find MLlib's time to the target (default: ${DEFAULT-VALUE}).")
    boolean mllibConfirm;

    @Option(names = "--mllib-resolution", paramLabel = "N", defaultValue = "5",
            description = "Iterations to which the uninterrupted fits narrow MLlib's time (default: ${DEFAULT-VALUE}).")
    int mllibResolution;

    @Option(names = "--evaluate-every-rounds", paramLabel = "N", defaultValue = "1",
            description = "Averaging rounds between two evaluations of ours (0: at epochs' ends only; default: "
                    + "${DEFAULT-VALUE}).")
    int evaluateEveryRounds;

    @Option(names = "--target", paramLabel = "A", defaultValue = "0.85",
            description = "Test accuracy whose time to reach is compared (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--warm-up-epochs", paramLabel = "N", defaultValue = "2",
            description = "Untimed epochs of each of our networks first (0: a cold JVM like one spark-submit's, "
                    + "whose JIT compilation the first timed network pays most of; default: ${DEFAULT-VALUE}).")
    int warmUpEpochs;

    private AccuracyCurves curves;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new FashionMnistBenchmark(), args);
    }

    @Override
    public Integer call() {
        atLeast("--epochs", epochs, 1);
        atLeast("--mllib-iterations", mllibIterations, 1);
        atLeast("--mllib-chunk", mllibChunk, 1);
        atLeast("--mllib-resolution", mllibResolution, 1);
        atLeast("--evaluate-every-rounds", evaluateEveryRounds, 0);
        atLeast("--warm-up-epochs", warmUpEpochs, 0);
        curves = new AccuracyCurves(target);
        System.out.println("fashion-mnist: our networks against Spark MLlib's MLP, test accuracy against training time");
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(System.out);
        run();
        return 0;
    }

    private void atLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw badArgument(option + " must be >= " + minimum + ", found " + value);
        }
    }

    private void run() {
        Storage storage = Storage.beforeSpark();
        TrainConfig train = TrainConfig.read(ConfigDocument.load(storage, storage.locate(config), sets));
        if (train.training().averaging() != TrainingSettings.Averaging.RESIDENT) {
            throw new InvalidInputException(config + ": training.master must be resident for this benchmark");
        }
        SparkSession spark = BenchmarkSession.spark(master, "fashion-mnist-benchmark");
        LoadedDataset data = DatasetLoader.load(spark, train.data(), train.network().nIn());
        if (!data.target().isClassification()) {
            throw new InvalidInputException(config + ": the benchmark compares classifiers; the data is regression");
        }
        NetworkSpec plastic = train.network().spec(data.features(), data.target());
        int[] layers = MllibCurve.layers(plastic);
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
                plastic.seed(), mllibChunk, mllibIterations, mllibConfirm, mllibResolution, MllibCurve.blas());
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
            Dataset<Row> warmUpVectors = MllibCurve.vectors(data.train(), spark.sparkContext().defaultParallelism());
            new MultilayerPerceptronClassifier().setLayers(layers).setSeed(plastic.seed()).setMaxIter(1).fit(warmUpVectors);
            warmUpVectors.unpersist();
        }
        MllibCurve.Confirmation confirmation = new MllibCurve(curves, target, mllibIterations, mllibChunk, mllibConfirm,
                mllibResolution).measure(spark, data, layers, plastic.seed());
        double loadEnd = loadAverage();
        spark.stop();

        curves.printTable();
        double plasticTime = curves.timeToTarget(PLASTIC);
        double denseTime = curves.timeToTarget(DENSE);
        double chunkedTime = curves.timeToTarget(MLLIB);
        double mllibTime = confirmation != null && confirmation.accuracy() >= target ? confirmation.seconds() : chunkedTime;
        String mllibSource = confirmation == null ? "chunked"
                : confirmation.accuracy() >= target ? "uninterrupted" : "chunked_not_confirmed";
        System.out.printf(Locale.ROOT, "target_accuracy %.3f%n", target);
        System.out.printf(Locale.ROOT, "time_to_target_s plastic=%s dense=%s mllib=%s mllib_chunked=%s mllib_from=%s%n",
                AccuracyCurves.seconds(plasticTime), AccuracyCurves.seconds(denseTime), AccuracyCurves.seconds(mllibTime),
                AccuracyCurves.seconds(chunkedTime), mllibSource);
        if (confirmation != null) {
            System.out.printf(Locale.ROOT, "mllib_uninterrupted iterations=%d fit_s=%.1f accuracy=%.4f resolution=%d%n",
                    confirmation.iterationsRun(), confirmation.seconds(), confirmation.accuracy(), mllibResolution);
        }
        System.out.printf(Locale.ROOT, "final_accuracy plastic=%.4f dense=%.4f mllib=%.4f%n", curves.last(PLASTIC).accuracy(),
                curves.last(DENSE).accuracy(), curves.last(MLLIB).accuracy());
        System.out.printf(Locale.ROOT, "final_progress plastic=%s dense=%s mllib=%s%n", curves.last(PLASTIC).progress(),
                curves.last(DENSE).progress(), curves.last(MLLIB).progress());
        // Not reached by MLlib: its time to the target exceeds its whole curve's, which bounds the ratio.
        double mllibBound = Double.isNaN(mllibTime) ? curves.last(MLLIB).seconds() : Double.NaN;
        System.out.printf(Locale.ROOT, "ours_vs_mllib_time_to_target plastic=%s dense=%s goal<=0.050%n",
                AccuracyCurves.ratio(plasticTime, mllibTime, mllibBound),
                AccuracyCurves.ratio(denseTime, mllibTime, mllibBound));
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
                        String progress = "epoch " + (round.epoch() + 1) + " round " + done + "/" + roundsInEpoch;
                        curves.record(new AccuracyCurves.Point(trainer, progress, clock.seconds(), test.accuracy()));
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
                    curves.record(new AccuracyCurves.Point(trainer, "epoch " + epoch, clock.seconds(), test.accuracy()));
                }
            }
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
