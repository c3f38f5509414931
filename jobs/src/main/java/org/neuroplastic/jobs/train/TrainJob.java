package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.model.network.ConfigName;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.results.StandardizationRecord;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.model.consolidation.GradientPenalty;

/**
 * The {@code train} job: loads and validates the data, builds the network from its specification, trains
 * it with parameter averaging across the executors, and after every epoch evaluates it on the held-out
 * split, appends that epoch's trajectories and evaluations, and writes a checkpoint (an online stream
 * instead records its online accuracy, by block of tasks: {@link OnlineStream}). Writes under
 * {@code out}: {@code trajectories/}, {@code evaluations/}, {@code runs/}, {@code checkpoints/epoch-N.zip},
 * {@code model.zip} and, with {@code data.standardize}, {@code standardization/} (docs/SCHEMA.md).
 */
public final class TrainJob {

    static final String CHECKPOINTS = "checkpoints";
    static final String MODEL = "model.zip";
    /** The file, relative to the run's folder, that makes a killed run resumable ({@link #resume}). */
    public static final String RESUME_MARKER = CHECKPOINTS + "/" + RunIdentity.FILE;
    private static final int EVALUATION_BATCH = 1024;
    private static final int CONSOLE_ROWS_PER_EPOCH = 10;

    private TrainJob() {
    }

    public static RunSummary run(TrainConfig config, SparkSession spark, Location out) {
        return run(config, spark, out, null, System.out);
    }

    /**
     * Runs one training, as the {@code train} job or as one trial of a sweep, with the consolidation
     * between tasks that {@code training.consolidation} names (none: naive fine-tuning).
     *
     * @param trialId the sweep trial, or null outside sweeps
     * @param console where the progress table goes
     */
    public static RunSummary run(TrainConfig config, SparkSession spark, Location out, String trialId, PrintStream console) {
        return run(config, spark, out, trialId, console,
                ConsolidationBoundary.of(config.training().consolidation(), config.network().seed()));
    }

    /**
     * Runs one training; a continual-learning stream's tasks are trained in sequence, {@code boundary}
     * called between them.
     */
    public static RunSummary run(TrainConfig config, SparkSession spark, Location out, String trialId, PrintStream console,
                                 TaskBoundary boundary) {
        Instant started = Instant.now();
        TaskData tasks = DatasetLoader.loadTasks(spark, config.data(), config.network().nIn());
        LoadedDataset data = tasks.data();
        NetworkSpec spec = config.networkFor(data.features(), data.target(), data.source());
        RunIdentity identity = new RunIdentity(newRunId(started), started, config.effectiveYaml());
        Storage storage = Storage.of(spark);
        try (RunLock lock = RunLock.acquire(storage, out.resolve(CHECKPOINTS))) {
            // Before the identity, which makes the run resumable: a resumable run always has its statistics.
            if (data.standardization() != null) {
                new ResultWriter(spark).appendStandardizations(List.of(
                        new StandardizationRecord(identity.runId(), trialId, data.standardization())), out);
            }
            identity.write(storage, out.resolve(CHECKPOINTS));
            return execute(config, tasks, spec, spark, out, trialId, console, identity, Resumption.fresh(), boundary);
        }
    }

    /**
     * Continues the killed run whose folder (the staging folder of its {@code --out}) is {@code out}, from
     * its last checkpoint: the same run id, epochs numbered on from the checkpoint's, rows of any epoch after
     * it dropped before training goes on (docs/SCHEMA.md, "Resuming a killed run"). Everything that can be
     * refused (another configuration, a checkpoint that is not a model file) is refused before anything
     * is written.
     */
    public static RunSummary resume(TrainConfig config, SparkSession spark, Location out, PrintStream console) {
        try (RunLock lock = RunLock.acquire(Storage.of(spark), out.resolve(CHECKPOINTS))) {
            return resumeLocked(config, spark, out, console);
        }
    }

    private static RunSummary resumeLocked(TrainConfig config, SparkSession spark, Location out, PrintStream console) {
        Storage storage = Storage.of(spark);
        RunIdentity identity = RunIdentity.read(storage, out.resolve(CHECKPOINTS));
        if (!identity.configuration().equals(config.effectiveYaml())) {
            throw new InvalidInputException("--config differs from the configuration the killed run "
                    + identity.runId() + " started with (" + out.resolve(CHECKPOINTS).resolve(RunIdentity.FILE)
                    + "); resume it with the same configuration and --set overrides");
        }
        Standardization recorded = config.data().standardize()
                ? StandardizationRecord.read(spark, out, identity.runId()) : null;
        TaskData tasks = DatasetLoader.loadTasks(spark, config.data(), config.network().nIn(), recorded);
        LoadedDataset data = tasks.data();
        NetworkSpec spec = config.networkFor(data.features(), data.target(), data.source());
        Resumption resumption = Resumption.fromLastCheckpoint(storage, out.resolve(CHECKPOINTS), spec,
                config.training().epochs() * tasks.phases());
        if (config.training().consolidation().enabled() && resumption.epochsDone() >= config.training().epochs()) {
            throw new InvalidInputException(out.resolve(CHECKPOINTS) + ": run " + identity.runId() + " cannot resume "
                    + "after epoch " + resumption.epochsDone() + ": training.consolidation keeps the earlier tasks' "
                    + "penalty in memory, not in the checkpoint; start the run again");
        }
        if (config.training().consolidation().method() == ConsolidationSettings.Method.SI && resumption.epochsDone() > 0) {
            throw new InvalidInputException(out.resolve(CHECKPOINTS) + ": run " + identity.runId() + " cannot resume "
                    + "after epoch " + resumption.epochsDone() + ": training.consolidation si sums the path integral of "
                    + "the task in training in memory, not in the checkpoint; start the run again");
        }
        resumption.dropRowsAfterCheckpoint(spark, out, identity.runId());
        console.printf(Locale.ROOT, "resuming run %s after epoch %d%n", identity.runId(), resumption.epochsDone());
        return execute(config, tasks, spec, spark, out, null, console, identity, resumption,
                ConsolidationBoundary.of(config.training().consolidation(), config.network().seed()));
    }

    private static RunSummary execute(TrainConfig config, TaskData tasks, NetworkSpec spec, SparkSession spark,
                                      Location out, String trialId, PrintStream console, RunIdentity identity,
                                      Resumption resumption, TaskBoundary boundary) {
        TrainingSettings settings = config.training();
        LoadedDataset data = tasks.data();
        String runId = identity.runId();
        Instant started = identity.startedAt();
        TrajectoryScope scope = new TrajectoryScope(runId, trialId, 0);
        ResultWriter results = new ResultWriter(spark);
        RunProgress progress = new RunProgress(spark.sparkContext().master(), settings, resumption.epochsDone());
        try {
            train(config, spec, tasks, scope, spark, out, console, progress, boundary, resumption);
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunStatus.COMPLETED, null), out);
        } catch (TrainingDiverged e) {
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunStatus.DIVERGED,
                    e.getMessage()), out);
            console.printf(Locale.ROOT, "run %s diverged: %s%n", runId, e.getMessage());
            return new RunSummary(runId, data.trainRows(), data.testRows(), e.getMessage());
        } catch (RuntimeException e) {
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunStatus.FAILED,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse("")), out);
            throw e;
        }
        return new RunSummary(runId, data.trainRows(), data.testRows(), null);
    }

    /**
     * Trains every task for {@code training.epochs} epochs, numbered on across tasks (task t covers epochs
     * {@code t*E+1 .. (t+1)*E}), or a joint stream's single phase for {@code E} epochs recorded as the last
     * task's; with {@code training.replay}, each task after the first replays the earlier tasks' examples
     * ({@link ReplayMemory}). After every epoch evaluates every task's test split, future tasks
     * included (forward transfer needs them), so the rows of a task's last epoch are the accuracy matrix's
     * row for that task. A resumed run skips the epochs its checkpoint already holds.
     */
    private static void train(TrainConfig config, NetworkSpec spec, TaskData tasks, TrajectoryScope scope,
                              SparkSession spark, Location out, PrintStream console, RunProgress progress,
                              TaskBoundary boundary, Resumption resumption) {
        TrainingSettings settings = config.training();
        LoadedDataset data = tasks.data();
        boolean classification = data.target().isClassification();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        MultiLayerNetwork network = resumption.network() != null ? resumption.network()
                : NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        RoundBudget.check(spark.sparkContext().getConf(), Runtime.getRuntime().maxMemory(), network, settings);
        RoundBudget.checkResidentNetworks(spark.sparkContext().getConf(), Pointer.maxBytes(), network, settings);
        LayerMetricsSource metrics = new PlasticityLayerMetrics();
        TrajectoryWriter trajectories = new TrajectoryWriter(spark);
        ResultWriter results = new ResultWriter(spark);
        Storage storage = Storage.of(spark);
        int epochsPerTask = settings.epochs();
        ProgressTable table = new ProgressTable(console, epochsPerTask * tasks.phases(),
                tasks.online() ? 0 : CONSOLE_ROWS_PER_EPOCH, classification, tasks.tasks());
        console.printf(Locale.ROOT, "run %s: %d training and %d held-out examples, %d features, %s averaging, %d workers%n",
                scope.runId(), data.trainRows(), data.testRows(), data.features(),
                ConfigName.of(settings.averaging()), settings.workers());
        if (data.standardization() != null) {
            console.printf(Locale.ROOT, "features standardized with the mean and standard deviation of %d training rows%n",
                    data.standardization().trainingRows());
        }
        if (tasks.continual() && !tasks.online()) {
            console.printf(Locale.ROOT, tasks.isJoint() ? "%d tasks trained jointly, %s, %d epochs%n"
                    : "%d tasks, %s, %d epochs each%n", tasks.tasks(), ConfigName.of(tasks.scenario()), epochsPerTask);
            table.header();
        } else if (!tasks.online()) {
            table.header();
        }
        // An online stream is measured by its online accuracy: evaluating hundreds of tasks' test splits
        // after every task would cost the square of the stream's length.
        try (HeldOutSplit heldOut = tasks.online() ? null : HeldOutSplit.of(sc, tasks, EVALUATION_BATCH);
             EpochTrainer trainer = settings.averaging() == TrainingSettings.Averaging.RESIDENT
                ? new ResidentEpochs(sc, network, settings, scope, metrics, table)
                : new StockEpochs(sc, network, settings, scope, metrics, table)) {
            if (tasks.online()) {
                trainer.predictBeforeLearning();
                OnlineStream.train(tasks, trainer, resumption.epochsDone(), settings.batchSizePerWorker(),
                        (firstTask, reports, checkpoint) -> {
                            trainer.writeTrajectory(trajectories, out);
                            results.appendEvaluations(OnlineStream.rows(scope, firstTask, reports), out);
                            for (EpochReport report : reports) {
                                progress.epochDone(report, trainer.lastTrainLoss(), null);
                            }
                            if (checkpoint) {
                                ModelArchive.write(trainer.network(), storage, out.resolve(CHECKPOINTS)
                                        .resolve(Resumption.checkpointName(firstTask + reports.size())));
                            }
                        }, console);
                ModelArchive.write(trainer.network(), storage, out.resolve(MODEL));
                return;
            }
            GradientPenalty penalty = null;
            if (boundary instanceof SynapticBoundary synaptic) {
                synaptic.start(network);
                trainer.collectPathIntegral(synaptic);
            }
            int firstPhase = resumption.epochsDone() / epochsPerTask;
            ReplayMemory replay = settings.replay().enabled()
                    ? new ReplayMemory(settings.replay(), config.network().seed()) : null;
            for (int earlier = 0; replay != null && earlier < firstPhase; earlier++) {
                // A resumed run's memory is rebuilt: it is a function of the seed and the tasks trained.
                replay.absorb(earlier, tasks.trainingMinibatches(earlier, settings.batchSizePerWorker()));
            }
            for (int phase = firstPhase; phase < tasks.phases(); phase++) {
                int task = tasks.trainedTask(phase);
                JavaRDD<DataSet> training = tasks.phaseMinibatches(phase, settings.batchSizePerWorker(),
                        config.network().seed());
                trainer.startTask(task, tasks.phaseTrainRows(phase), penalty);
                if (replay != null) {
                    trainer.replayFrom(replay.encoded());
                }
                table.task(task, tasks.describePhase(phase));
                List<HeldOutEvaluation> byTask = List.of();
                for (int e = 0; e < epochsPerTask; e++) {
                    int epoch = phase * epochsPerTask + e;
                    if (epoch < resumption.epochsDone()) {
                        continue;
                    }
                    EpochReport report;
                    try {
                        report = trainer.fitEpoch(training);
                    } catch (TrainingDiverged diverged) {
                        trainer.writeTrajectory(trajectories, out);
                        throw diverged;
                    }
                    MultiLayerNetwork trained = trainer.network();
                    HeldOutSplit.Evaluated evaluated = heldOut.evaluateSplits(trained);
                    byTask = evaluated.byTask();
                    trainer.writeTrajectory(trajectories, out);
                    results.appendEvaluations(evaluationRows(scope, epoch + 1, task, evaluated), out);
                    ModelArchive.write(trained, storage, out.resolve(CHECKPOINTS).resolve(Resumption.checkpointName(epoch + 1)));
                    HeldOutEvaluation test = HeldOutEvaluation.pooled(byTask);
                    progress.epochDone(report, trainer.lastTrainLoss(), test);
                    table.epoch(epoch, task, test, report.wallSeconds(), report.roundOverheadMs(),
                            report.examplesUsedFraction());
                }
                table.afterTask(task, byTask);
                if (phase + 1 < tasks.phases()) {
                    penalty = boundary.afterTask(task, trainer.network(),
                            TaskSample.of(training, settings.batchSizePerWorker()));
                    if (replay != null) {
                        replay.absorb(task, training);
                    }
                }
            }
            ModelArchive.write(trainer.network(), storage, out.resolve(MODEL));
        }
    }

    private static List<EvaluationRecord> evaluationRows(TrajectoryScope scope, int epoch, int trainedTask,
                                                         HeldOutSplit.Evaluated evaluated) {
        List<HeldOutEvaluation> byTask = evaluated.byTask();
        List<EvaluationRecord> rows = new ArrayList<>(byTask.size() + 1);
        for (int t = 0; t < byTask.size(); t++) {
            HeldOutEvaluation test = byTask.get(t);
            rows.add(new EvaluationRecord(scope.runId(), scope.trialId(), epoch, t, trainedTask, "test",
                    test.examples(), test.loss(), test.accuracy()));
        }
        HeldOutEvaluation validation = evaluated.validation();
        if (validation != null) {
            rows.add(new EvaluationRecord(scope.runId(), scope.trialId(), epoch, 0, trainedTask, "validation",
                    validation.examples(), validation.loss(), validation.accuracy()));
        }
        return rows;
    }

    private static String newRunId(Instant started) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(started)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
