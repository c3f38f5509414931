package org.neuroplastic.jobs.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.Minibatches;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.trajectory.LayerMetrics;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.PlasticNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The {@code train} job: loads and validates the data, builds the network from its specification, trains
 * it with parameter averaging across the executors, and after every epoch evaluates it on the held-out
 * split, appends that epoch's trajectories and evaluations, and writes a checkpoint. Writes under
 * {@code out}: {@code trajectories/}, {@code evaluations/}, {@code runs/}, {@code checkpoints/epoch-N.zip}
 * and {@code model.zip} (docs/SCHEMA.md).
 */
public final class TrainJob {

    static final String CHECKPOINTS = "checkpoints";
    static final String MODEL = "model.zip";
    private static final int EVALUATION_BATCH = 1024;
    private static final int CONSOLE_ROWS_PER_EPOCH = 10;

    private TrainJob() {
    }

    public static RunSummary run(TrainConfig config, SparkSession spark, Path out) {
        return run(config, spark, out, null, System.out);
    }

    /**
     * Runs one training, as the {@code train} job or as one trial of a sweep.
     *
     * @param trialId the sweep trial, or null outside sweeps
     * @param console where the progress table goes
     */
    public static RunSummary run(TrainConfig config, SparkSession spark, Path out, String trialId, PrintStream console) {
        Instant started = Instant.now();
        LoadedDataset data = DatasetLoader.load(spark, config.data(), config.network().nIn());
        NetworkSpec spec = config.network().spec(data.features(), data.target());
        TrainingSettings settings = config.training();
        String runId = newRunId(started);
        TrajectoryScope scope = new TrajectoryScope(runId, trialId, 0);
        ResultWriter results = new ResultWriter(spark);
        Progress progress = new Progress(spark.sparkContext().master(), settings);
        try {
            train(config, spec, data, scope, spark, out, console, progress);
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunRecord.COMPLETED, null), out);
        } catch (RuntimeException e) {
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunRecord.FAILED,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse("")), out);
            throw e;
        }
        return new RunSummary(runId, data.trainRows(), data.testRows());
    }

    private static void train(TrainConfig config, NetworkSpec spec, LoadedDataset data, TrajectoryScope scope,
                              SparkSession spark, Path out, PrintStream console, Progress progress) {
        TrainingSettings settings = config.training();
        boolean classification = data.target().isClassification();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<DataSet> heldOut = Minibatches.of(data.test(), data.features(), data.target(), EVALUATION_BATCH).collect();
        JavaRDD<DataSet> training = Minibatches.of(data.train(), data.features(), data.target(),
                settings.batchSizePerWorker());
        MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        LayerMetricsSource metrics = new PlasticityLayerMetrics();
        TrajectoryWriter trajectories = new TrajectoryWriter(spark);
        ResultWriter results = new ResultWriter(spark);
        ProgressTable table = new ProgressTable(console, settings.epochs(), CONSOLE_ROWS_PER_EPOCH, classification);
        console.printf(Locale.ROOT, "run %s: %d training and %d held-out examples, %d features, %s master, %d workers%n",
                scope.runId(), data.trainRows(), data.testRows(), data.features(),
                settings.master().name().toLowerCase(Locale.ROOT), settings.workers());
        table.header();
        try (EpochTrainer trainer = settings.master() == TrainingSettings.Master.RESIDENT
                ? new ResidentEpochs(sc, network, settings, scope, metrics, table)
                : new StockEpochs(sc, network, settings, scope, metrics, data.trainRows(), table)) {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                EpochReport report = trainer.fitEpoch(training);
                MultiLayerNetwork trained = trainer.network();
                HeldOutEvaluation test = HeldOutEvaluation.of(trained, heldOut, classification);
                List<TrajectoryRecord> rows = trainer.drainTrajectory();
                trajectories.append(rows, out);
                results.appendEvaluations(List.of(new EvaluationRecord(scope.runId(), scope.trialId(), epoch + 1,
                        scope.task(), "test", test.examples(), test.loss(), test.accuracy())), out);
                checkpoint(trained, out.resolve(CHECKPOINTS).resolve(String.format(Locale.ROOT, "epoch-%03d.zip", epoch + 1)));
                progress.epochDone(report, trainer.lastTrainLoss(), test);
                table.epoch(epoch, test, report.wallSeconds(), report.roundOverheadMs(), report.examplesUsedFraction());
            }
            checkpoint(trainer.network(), out.resolve(MODEL));
        }
    }

    private static void checkpoint(MultiLayerNetwork network, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ModelSerializer.writeModel(network, file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file, e);
        }
    }

    private static String newRunId(Instant started) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(started)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One pass over the training data with one of the two training masters. */
    private interface EpochTrainer extends AutoCloseable {
        EpochReport fitEpoch(JavaRDD<DataSet> training);

        MultiLayerNetwork network();

        List<TrajectoryRecord> drainTrajectory();

        double lastTrainLoss();

        @Override
        void close();
    }

    /** Our master: networks and data resident on the executors, the driver rewiring between rounds. */
    private static final class ResidentEpochs implements EpochTrainer {
        private final ResidentAveragingMaster master;
        private final SparkDl4jMultiLayer spark;
        private double lastLoss = Double.NaN;

        ResidentEpochs(JavaSparkContext sc, MultiLayerNetwork network, TrainingSettings settings, TrajectoryScope scope,
                       LayerMetricsSource metrics, ProgressTable table) {
            master = new ResidentAveragingMaster(settings, scope, metrics);
            master.addRoundListener(new StructuralRewiring());
            master.addRoundObserver((round, rounds, averagedRows) -> {
                lastLoss = round.meanLoss();
                table.round(round.epoch(), round.round(), rounds, round.lastStep(), lastLoss, averagedRows);
            });
            spark = new SparkDl4jMultiLayer(sc, network, master);
        }

        @Override
        public EpochReport fitEpoch(JavaRDD<DataSet> training) {
            spark.fit(training);
            List<EpochReport> reports = master.epochReports();
            return reports.get(reports.size() - 1);
        }

        @Override
        public MultiLayerNetwork network() {
            return spark.getNetwork();
        }

        @Override
        public List<TrajectoryRecord> drainTrajectory() {
            return master.drainTrajectory();
        }

        @Override
        public double lastTrainLoss() {
            return lastLoss;
        }

        @Override
        public void close() {
            master.close();
        }
    }

    /**
     * DL4J's own master, kept selectable for comparison. It gives the driver no hook between its rounds,
     * so the driver rewires the masks after each epoch and records one averaged row per layer per epoch.
     */
    private static final class StockEpochs implements EpochTrainer {
        private final StockAveragingMaster master;
        private final SparkDl4jMultiLayer spark;
        private final TrainingSettings settings;
        private final TrajectoryScope scope;
        private final LayerMetricsSource metrics;
        private final long trainRows;
        private final ProgressTable table;
        private final List<TrajectoryRecord> rows = new ArrayList<>();
        private double lastLoss = Double.NaN;

        StockEpochs(JavaSparkContext sc, MultiLayerNetwork network, TrainingSettings settings, TrajectoryScope scope,
                    LayerMetricsSource metrics, long trainRows, ProgressTable table) {
            this.master = new StockAveragingMaster(sc, settings, settings.batchSizePerWorker(), network.getDefaultConfiguration().getSeed());
            this.spark = new SparkDl4jMultiLayer(sc, network, master.trainingMaster());
            this.settings = settings;
            this.scope = scope;
            this.metrics = metrics;
            this.trainRows = trainRows;
            this.table = table;
        }

        @Override
        public EpochReport fitEpoch(JavaRDD<DataSet> training) {
            MultiLayerNetwork network = spark.getNetwork();
            long before = network.getIterationCount();
            int epoch = network.getEpochCount();
            EpochReport report = master.fitEpoch(spark, training, trainRows);
            network = spark.getNetwork();
            PlasticNetwork.rewire(network, before, network.getIterationCount());
            lastLoss = spark.getScore();
            List<TrajectoryRecord> averaged = new ArrayList<>();
            if (settings.trajectories()) {
                for (LayerMetrics m : metrics.read(network)) {
                    averaged.add(TrajectoryRecord.of(scope, epoch, Math.max(0, report.rounds() - 1),
                            network.getIterationCount(), TrajectoryRecord.AVERAGED, ResidentAveragingMaster.DRIVER, m,
                            lastLoss, null, report.wallNanos() / 1_000_000));
                }
            }
            rows.addAll(averaged);
            table.round(epoch, 0, 1, network.getIterationCount(), lastLoss, averaged);
            return report;
        }

        @Override
        public MultiLayerNetwork network() {
            return spark.getNetwork();
        }

        @Override
        public List<TrajectoryRecord> drainTrajectory() {
            List<TrajectoryRecord> drained = List.copyOf(rows);
            rows.clear();
            return drained;
        }

        @Override
        public double lastTrainLoss() {
            return lastLoss;
        }

        @Override
        public void close() {
            master.trainingMaster().deleteTempFiles(spark.getSparkContext());
        }
    }

    /** What the runs row reports, accumulated epoch by epoch. */
    private static final class Progress {
        private final String sparkMaster;
        private final TrainingSettings settings;
        private int epochs;
        private long examplesUsed;
        private long examplesTotal;
        private long overheadNanos;
        private long rounds;
        private double trainLoss = Double.NaN;
        private HeldOutEvaluation test;

        Progress(String sparkMaster, TrainingSettings settings) {
            this.sparkMaster = sparkMaster;
            this.settings = settings;
        }

        void epochDone(EpochReport report, double lastTrainLoss, HeldOutEvaluation heldOut) {
            epochs++;
            examplesUsed += report.examplesUsed();
            examplesTotal += report.examplesTotal();
            overheadNanos += report.wallNanos() - report.slowestFitNanos();
            rounds += report.rounds();
            trainLoss = lastTrainLoss;
            test = heldOut;
        }

        RunRecord record(String runId, String trialId, Instant started, TrainConfig config, NetworkSpec spec,
                         String status, String error) {
            return new RunRecord(runId, trialId, status, started, Instant.now(), config.effectiveYaml(), spec.seed(),
                    settings.master().name().toLowerCase(Locale.ROOT), sparkMaster, versions(), epochs,
                    examplesTotal == 0 ? null : (double) examplesUsed / examplesTotal,
                    rounds == 0 ? null : overheadNanos / 1e6 / rounds,
                    Double.isNaN(trainLoss) ? null : trainLoss,
                    test == null ? null : test.loss(),
                    test == null ? null : test.accuracy(),
                    error);
        }
    }

    public static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("neuroplastic", mavenVersion(TrainJob.class, "org.neuroplastic", "neuroplastic-jobs"));
        versions.put("deeplearning4j", mavenVersion(MultiLayerNetwork.class, "org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        versions.put("scala", scala.util.Properties.versionNumberString());
        versions.put("java", System.getProperty("java.version"));
        return versions;
    }

    /**
     * The version in the artifact's Maven pom.properties, which every jar built by Maven carries (the
     * shaded application jar too); neither our jar nor DL4J's names an Implementation-Version in its
     * manifest. "unknown" when running from class folders, as in this module's own tests.
     */
    private static String mavenVersion(Class<?> fromArtifact, String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = fromArtifact.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
