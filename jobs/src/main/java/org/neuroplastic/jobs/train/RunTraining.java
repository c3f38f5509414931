package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.consolidation.GradientPenalty;
import org.neuroplastic.model.network.ConfigName;
import org.neuroplastic.model.network.LearnedParameters;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training of one run of the {@code train} job, once {@link TrainJob} has loaded its data, built or resumed
 * its network and made it resumable: every task's epochs on the executors, and after each the held-out
 * evaluation, the trajectory and evaluation rows and the checkpoint, committed by {@link EpochOutputs} while
 * the next epoch trains (an online stream records its online accuracy instead, {@link OnlineStream}). Apart
 * from the job's run lifecycle so that each changes alone.
 */
final class RunTraining {

    private static final int CONSOLE_ROWS_PER_EPOCH = 10;

    private RunTraining() {
    }

    /**
     * Trains every task for {@code training.epochs} epochs, numbered on across tasks (task t covers epochs
     * {@code t*E+1 .. (t+1)*E}), or a joint stream's single phase for {@code E} epochs recorded as the last
     * task's; with {@code training.replay}, each task after the first replays the earlier tasks' examples
     * ({@link ReplayMemory}). After every epoch evaluates every task's test split (and validation split), future tasks
     * included (forward transfer needs them), so the rows of a task's last epoch are the accuracy matrix's
     * row for that task. A resumed run skips the epochs its checkpoint already holds.
     */
    static void train(TrainConfig config, NetworkSpec spec, TaskData tasks, TrajectoryScope scope,
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
        RoundBudget.checkWorkerSums(spark.sparkContext().getConf(), spark.sparkContext().defaultParallelism(),
                Runtime.getRuntime().maxMemory(), network, settings);
        LayerMetricsSource metrics = new PlasticityLayerMetrics();
        ResultWriter results = new ResultWriter(spark);
        Storage storage = Storage.of(spark);
        int epochsPerTask = settings.epochs();
        ProgressTable table = new ProgressTable(console, epochsPerTask * tasks.phases(),
                tasks.online() ? 0 : CONSOLE_ROWS_PER_EPOCH, classification, tasks.tasks());
        console.printf(Locale.ROOT, "run %s: %d training and %d held-out examples, %d features, %s averaging, %d workers%n",
                scope.runId(), data.trainRows(), data.testRows(), data.features(),
                ConfigName.of(settings.averaging()), settings.workers());
        if (spec.variant() == NetworkSpec.Variant.DENSE_MATCHED) {
            console.println(LearnedParameters.describeMatch(spec));
        }
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
        try (HeldOutSplit heldOut = tasks.online() ? null : HeldOutSplit.of(sc, tasks, settings.evaluationBatchSize());
             EpochTrainer trainer = settings.averaging() == TrainingSettings.Averaging.RESIDENT
                ? new ResidentEpochs(sc, network, settings, scope, metrics, table)
                : new StockEpochs(sc, network, settings, scope, metrics, table);
             EpochOutputs outputs = new EpochOutputs(scope.runId(), new TrajectoryWriter(spark), results, storage,
                     out)) {
            if (tasks.online()) {
                trainer.predictBeforeLearning();
                try {
                    OnlineStream.train(tasks, trainer, resumption.epochsDone(), settings.batchSizePerWorker(),
                            (firstTask, reports, checkpoint) -> {
                                outputs.trajectory(trainer.takeTrajectory());
                                outputs.evaluations(OnlineStream.rows(scope, firstTask, reports));
                                for (EpochReport report : reports) {
                                    progress.epochDone(report, trainer.lastTrainLoss(), null);
                                }
                                if (checkpoint) {
                                    outputs.checkpoint(trainer.network(), out.resolve(TrainJob.CHECKPOINTS)
                                            .resolve(Resumption.checkpointName(firstTask + reports.size())));
                                }
                            }, console);
                } catch (TrainingDiverged diverged) {
                    // A diverged run is recorded as such only once the rows up to its divergence are written.
                    outputs.await();
                    throw diverged;
                }
                outputs.await();
                ModelArchive.write(trainer.network(), storage, out.resolve(TrainJob.MODEL));
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
                        outputs.trajectory(trainer.takeTrajectory());
                        outputs.await();
                        throw diverged;
                    }
                    outputs.trajectory(trainer.takeTrajectory());
                    MultiLayerNetwork trained = trainer.network();
                    HeldOutSplit.Evaluated evaluated = heldOut.evaluateSplits(trained);
                    byTask = evaluated.byTask();
                    outputs.evaluations(evaluationRows(scope, epoch + 1, task, evaluated));
                    outputs.checkpoint(trained, out.resolve(TrainJob.CHECKPOINTS)
                            .resolve(Resumption.checkpointName(epoch + 1)));
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
            outputs.await();
            ModelArchive.write(trainer.network(), storage, out.resolve(TrainJob.MODEL));
        }
    }

    private static List<EvaluationRecord> evaluationRows(TrajectoryScope scope, int epoch, int trainedTask,
                                                         HeldOutSplit.Evaluated evaluated) {
        List<HeldOutEvaluation> byTask = evaluated.byTask();
        List<EvaluationRecord> rows = new ArrayList<>(2 * byTask.size());
        for (int t = 0; t < byTask.size(); t++) {
            HeldOutEvaluation test = byTask.get(t);
            rows.add(new EvaluationRecord(scope.runId(), scope.trialId(), epoch, t, trainedTask, "test",
                    test.examples(), test.loss(), test.accuracy()));
        }
        List<HeldOutEvaluation> validationByTask = evaluated.validationByTask();
        for (int t = 0; t < validationByTask.size(); t++) {
            HeldOutEvaluation validation = validationByTask.get(t);
            rows.add(new EvaluationRecord(scope.runId(), scope.trialId(), epoch, t, trainedTask, "validation",
                    validation.examples(), validation.loss(), validation.accuracy()));
        }
        return rows;
    }
}
