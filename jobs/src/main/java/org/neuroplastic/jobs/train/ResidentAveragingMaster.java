package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.ParameterLayout;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.StepRecorder;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.consolidation.GradientPenalty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Synchronous parameter averaging with the workers' networks and data resident on the executors,
 * plugged into {@link SparkDl4jMultiLayer} through DL4J's {@link TrainingMaster} interface.
 *
 * <p>The first {@code fit} arranges the training data into {@code workers} partitions of
 * minibatches (see {@link MinibatchLayout}) and persists them in memory; later fits of the same RDD
 * reuse them. Each round broadcasts the driver network's parameters, updater state and iteration
 * and epoch counts as plain bytes; each task resets its partition's resident network (rebuilding it
 * from the configuration when this JVM has none), fits the partition's next
 * {@code averagingFrequency} minibatches and emits its state in shards; the executors average each
 * shard ({@link ShardMean}), the driver collects the averaged state once, sets it on its network, calls
 * the {@link RoundListener}s, and destroys the broadcast. Rounds go on
 * until every partition is exhausted, so every minibatch is fitted exactly once per epoch.
 *
 * <p>Averaging is unweighted over the workers that fitted at least one minibatch in the round, as
 * DL4J's ParameterAveragingTrainingMaster averages every worker that returned parameters: in the
 * last round of an epoch, a worker whose partition ran out does not pull the average back. The
 * iteration count advances by the largest number of minibatches any worker fitted in the round.
 * With {@code saveUpdater} the updater state is averaged the same way; without it the driver's
 * updater state is left as it is and every worker restarts from it each round (as DL4J does).
 *
 * <p>In continual learning, {@link #startTask} before each task's first fit sets the task its trajectory
 * rows carry and the {@link GradientPenalty} the workers add to their loss; a task's training data is a
 * new RDD, which replaces the previous task's cached minibatches at its first fit.
 *
 * <p>With trajectories on, each round task makes its worker's rows and each round's summary reducer keeps
 * them where it ran (see {@link AveragingRounds}); {@link #takeTrajectory} hands them over to be written from
 * there ({@link EpochOutputs}), so no row passes through the driver, which holds at most one round's
 * {@code avg} rows.
 *
 * <p>After averaging, a non-finite value in the averaged network or in a worker's loss stops training
 * with {@link TrainingDiverged}, the round's {@code avg} rows made first.
 *
 * <p>When an executor is lost, Spark retries its round task elsewhere: the task rebuilds the network from
 * the broadcast configuration, resets it to the broadcast state of the round, and the lost partition's
 * minibatches are recomputed in the same order (the layout is a deterministic function of the source), so
 * the retry returns the same vectors and rows; the shuffle keeps exactly one map output per partition.
 * The exception is the online prediction counts of layers with {@code at_inference.reset: per_task}: their
 * inference state lives beside the resident network, so a retry elsewhere predicts from that JVM's.
 *
 * <p>Call {@link #close()} when the run ends: it frees the resident networks and the cached data.
 */
public final class ResidentAveragingMaster
        extends RoundTrainingMaster implements AutoCloseable {

    /** Executor id recorded in {@code avg} trajectory rows, which are computed on the driver. */
    public static final String DRIVER = RoundTrajectory.DRIVER;

    private final TrainingSettings settings;
    private TrajectoryScope scope;
    private final LayerMetricsSource metrics;
    private final List<RoundListener> listeners = new ArrayList<>();
    private final List<RoundObserver> observers = new ArrayList<>();
    private final PendingRows pending = new PendingRows();
    private MinibatchLayout layout;
    private int layoutSourceId = -1;
    private final ContinualBroadcasts continual = new ContinualBroadcasts();
    private Consumer<float[]> pathIntegral;
    private boolean predictFirst;

    /**
     * @param settings how to distribute training; {@code settings.trajectories()} switches the
     *                 per-step rows on or off
     * @param scope    run id (also the key of the resident networks), trial and task of the rows
     * @param metrics  what each trajectory row measures per layer
     */
    public ResidentAveragingMaster(TrainingSettings settings, TrajectoryScope scope, LayerMetricsSource metrics) {
        this.settings = settings;
        this.scope = scope;
        this.metrics = metrics;
    }

    /**
     * Makes the next fits train continual-learning task {@code task}: their trajectory rows carry it,
     * and every worker adds {@code penalty} (null: none) to its loss, replacing the previous task's.
     * The penalty is broadcast once, at the first round that needs it.
     */
    public void startTask(int task, GradientPenalty penalty) {
        scope = new TrajectoryScope(scope.runId(), scope.trialId(), task);
        continual.penalize(penalty);
    }

    /**
     * Makes the next fits append examples drawn from {@code memory} ({@link ReplayMemory#encoded}; null: none)
     * to every minibatch, {@code training.replay.per_minibatch} of them, until it is replaced. It is broadcast
     * once, at the first round that needs it.
     */
    public void replayFrom(byte[] memory) {
        continual.replayFrom(memory);
    }

    /**
     * Makes every worker measure Synaptic Intelligence's path integral over its steps of each round
     * ({@link org.neuroplastic.model.consolidation.PathIntegral}); the workers' values are averaged with the
     * rest of their state, and {@code sink} receives the average after each round, before the round
     * listeners. The returned state grows by one value per parameter.
     */
    public void collectPathIntegral(Consumer<float[]> sink) {
        this.pathIntegral = sink;
    }

    /**
     * Makes every worker predict each minibatch in inference mode just before it learns from it, as an online
     * stream measures its online accuracy; each {@link EpochReport} then carries the predictions' counts.
     */
    public void predictBeforeLearning() {
        this.predictFirst = true;
    }

    public void addRoundListener(RoundListener listener) {
        listeners.add(listener);
    }

    public void addRoundObserver(RoundObserver observer) {
        observers.add(observer);
    }

    /**
     * The trajectory rows made since the last write, held on the executors (none when trajectories are
     * off). Every worker row of a round is there exactly once: the shuffle keeps one output per map
     * partition, whatever tasks were retried.
     */
    public PendingRows pendingTrajectory() {
        return pending;
    }

    /**
     * The rows made since the last call, handed over where they are held (to be written with
     * {@link EpochOutputs#trajectory}, which frees them); the rounds from now on make new ones.
     */
    public PendingRows takeTrajectory() {
        return pending.take();
    }

    @Override
    public TrainingSettings settings() {
        return settings;
    }

    /**
     * One epoch of resident averaging over {@code trainingData}, as DL4J's {@code SparkDl4jMultiLayer.fit}
     * runs it (the network's epoch count then grows by one), and its report.
     */
    public EpochReport fitEpoch(SparkDl4jMultiLayer spark, JavaRDD<DataSet> trainingData) {
        EpochReport report = train(spark, trainingData);
        spark.getNetwork().incrementEpochCount();
        return report;
    }

    /** DL4J's entry point, for {@code SparkDl4jMultiLayer.fit}, which counts the epoch itself; see {@link #fitEpoch}. */
    @Override
    public void executeTraining(SparkDl4jMultiLayer spark, JavaRDD<DataSet> trainingData) {
        train(spark, trainingData);
    }

    private EpochReport train(SparkDl4jMultiLayer spark, JavaRDD<DataSet> trainingData) {
        long epochStart = System.nanoTime();
        MultiLayerNetwork network = spark.getNetwork();
        JavaSparkContext sc = spark.getSparkContext();
        MinibatchLayout data = layoutFor(trainingData);
        int averagingFrequency = settings.averagingFrequency();
        int rounds = data.rounds(averagingFrequency);
        int epoch = network.getEpochCount();
        ParameterLayout parameterLayout = settings.trajectories() ? ParameterLayout.of(network) : null;
        Broadcast<String> configuration = sc.broadcast(configurationJson(network));
        continual.broadcast(sc);
        AveragingRounds averaging = new AveragingRounds(sc, settings, scope.runId(), data, configuration,
                continual.penalty(), continual.replay(), pathIntegral, parameterLayout,
                settings.trajectories() ? metrics.read(network).size() : 0, pending, predictFirst, scope.task());
        long examplesUsed = 0;
        Predictions online = Predictions.NONE;
        long slowestFit = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                StepRecorder recorder = settings.trajectories() ? new StepRecorder(scope, epoch + 1, round, metrics, settings.diagnosticsEvery()) : null;
                RoundResult result = averaging.run(network, round, recorder);
                for (WorkerRound worker : result.workers()) {
                    examplesUsed += worker.examples();
                    online = online.plus(worker.online());
                }
                slowestFit += result.slowestFitNanos();
                Optional<TrainingDiverged> diverged = TrainingDiverged.inRound(result, network);
                if (diverged.isPresent()) {
                    if (recorder != null) {
                        pending.setOnDriver(RoundTrajectory.averaged(recorder, result, network, result.meanLoss()));
                    }
                    throw diverged.get();
                }
                for (RoundListener listener : listeners) {
                    listener.afterRound(result, network);
                }
                List<TrajectoryRecord> averagedRows = List.of();
                if (recorder != null) {
                    averagedRows = RoundTrajectory.averaged(recorder, result, network, result.meanLoss());
                    pending.setOnDriver(averagedRows);
                }
                for (RoundObserver observer : observers) {
                    observer.roundRecorded(result, rounds, averagedRows);
                }
            }
        } finally {
            configuration.destroy();
        }
        return new EpochReport(epoch, rounds, examplesUsed, data.totalExamples(), System.nanoTime() - epochStart,
                slowestFit, online);
    }

    /** The configuration without its counters, so it stays equal (and the networks resident) across rounds. */
    private static String configurationJson(MultiLayerNetwork network) {
        MultiLayerConfiguration configuration = network.getLayerWiseConfigurations().clone();
        configuration.setIterationCount(0);
        configuration.setEpochCount(0);
        return configuration.toJson();
    }

    private MinibatchLayout layoutFor(JavaRDD<DataSet> trainingData) {
        if (layout == null || layoutSourceId != trainingData.id()) {
            releaseData();
            layout = MinibatchLayout.arrange(trainingData, settings.workers(), settings.batchSizePerWorker(),
                    StorageLevel.MEMORY_ONLY());
            layoutSourceId = trainingData.id();
        }
        return layout;
    }

    /** The arranged training data of the current fit source, or null before the first fit. */
    public MinibatchLayout layout() {
        return layout;
    }

    private void releaseData() {
        if (layout != null) {
            layout.minibatches().unpersist(false);
            layout = null;
            layoutSourceId = -1;
        }
    }

    /**
     * Frees the run's resident networks on the executors (a job over the cached partitions, whose
     * tasks run where the data, and so the networks, live), in this JVM, and the cached data.
     */
    @Override
    public void close() {
        String runId = scope.runId();
        if (layout != null) {
            layout.minibatches().foreachPartition(ignored -> ResidentNetworks.release(runId));
        }
        ResidentNetworks.release(runId);
        pending.release();
        releaseData();
        continual.release();
    }
}
