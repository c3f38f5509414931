package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.jobs.trajectory.ParameterLayout;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.StepRecorder;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import scala.Tuple2;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The averaging rounds of one epoch of {@link ResidentAveragingMaster}, one {@link #run} per round:
 * broadcast the state, fit on the executors, average there (a reduce-scatter through one shuffle, see
 * {@link StateShards}), and set the average on the driver's network. A round is one Spark job of two
 * stages; with a shard per task slot and trajectories off, each stage runs in one wave of tasks. The driver
 * receives the averaged state once and a few scalars per worker, so its share of a round grows with the
 * network's size but hardly with the number of workers.
 *
 * <p>With trajectories on, the summary reducer's output (the workers' summaries and rows, and the rows
 * the driver made for the previous round) is persisted where it ran, replicated on a cluster so that
 * losing one executor loses no row, and the driver collects only the summaries from it: the rows stay on
 * the executors, in {@link PendingRows}, until they are written from there.
 */
final class AveragingRounds {

    private final JavaSparkContext sc;
    private final TrainingSettings settings;
    private final String runId;
    private final MinibatchLayout data;
    private final Broadcast<String> configuration;
    private final Broadcast<byte[]> penalty;
    private final Broadcast<byte[]> replay;
    private final Consumer<float[]> pathIntegral;
    private final ParameterLayout layers;
    private final int rowsPerStep;
    private final PendingRows pending;
    private final boolean predictFirst;
    private final int task;

    /**
     * @param configuration the network's configuration, from which a task builds a network its JVM lacks
     * @param penalty       what the workers add to their loss, serialized; null for nothing
     * @param replay        the replay memory the workers draw from, encoded; null for none
     * @param pathIntegral  where each round's averaged path integral goes; null: not measured
     * @param layers        where each layer's state is, to measure drift; null when trajectories are off
     * @param rowsPerStep   the rows one worker step makes (the layers with a weight matrix)
     * @param pending       where the rows go
     * @param predictFirst  whether the workers predict each minibatch before learning from it (online streams)
     * @param task          the continual-learning task of the epoch's minibatches (see {@link ResidentRoundTask})
     */
    AveragingRounds(JavaSparkContext sc, TrainingSettings settings, String runId, MinibatchLayout data,
                    Broadcast<String> configuration, Broadcast<byte[]> penalty, Broadcast<byte[]> replay,
                    Consumer<float[]> pathIntegral,
                    ParameterLayout layers, int rowsPerStep, PendingRows pending, boolean predictFirst,
                    int task) {
        this.sc = sc;
        this.settings = settings;
        this.runId = runId;
        this.data = data;
        this.configuration = configuration;
        this.penalty = penalty;
        this.replay = replay;
        this.pathIntegral = pathIntegral;
        this.layers = layers;
        this.rowsPerStep = rowsPerStep;
        this.pending = pending;
        this.predictFirst = predictFirst;
        this.task = task;
    }

    /** Round {@code round} of the epoch; {@code recorder} is null when trajectories are off. */
    RoundResult run(MultiLayerNetwork network, int round, StepRecorder recorder) {
        long start = System.nanoTime();
        int epoch = network.getEpochCount();
        int iteration = network.getIterationCount();
        INDArray updaterState = settings.saveUpdater() ? RoundState.updaterState(network) : null;
        int workersPerTask = settings.workersPerTaskOn(sc.defaultParallelism());
        StateShards shards = StateShards.of(network.numParams(), updaterState == null ? 0 : updaterState.length(),
                pathIntegral == null ? 0 : network.numParams(), data.workers(), workersPerTask,
                sc.defaultParallelism());
        Broadcast<byte[]> stateBroadcast = sc.broadcast(RoundState.capture(network));
        RoundAverage average;
        try {
            average = average(shards, workersPerTask, stateBroadcast, round, recorder);
        } finally {
            stateBroadcast.destroy();
        }
        List<WorkerRound> trained = average.workers().stream().filter(WorkerRound::trained).toList();
        if (trained.isEmpty()) {
            throw new IllegalStateException("round " + round + " of epoch " + epoch + " trained no worker");
        }
        Vectors.set(network.params(), average.state(), 0);
        if (updaterState != null) {
            Vectors.set(updaterState, average.state(), (int) shards.parameters());
        }
        if (pathIntegral != null) {
            pathIntegral.accept(Arrays.copyOfRange(average.state(), (int) shards.pathIntegralStart(),
                    (int) shards.length()));
        }
        double[] averageDrift = ParameterLayout.roots(average.squaredDrift());
        int longest = trained.stream().mapToInt(WorkerRound::minibatches).max().orElseThrow();
        network.setIterationCount(iteration + longest);
        return new RoundResult(epoch, round, iteration + 1L, (long) iteration + longest, average.workers(),
                averageDrift, System.nanoTime() - start, average.nonFiniteParameters());
    }

    private RoundAverage average(StateShards shards, int workersPerTask, Broadcast<byte[]> state, int round,
                                 StepRecorder recorder) {
        List<TrajectoryRecord> carried = pending.onDriver();
        // The summary reducer's output is persisted apart only when it holds trajectory rows.
        boolean summaryApart = recorder != null;
        JavaRDD<Tuple2<Integer, byte[]>> trained = ScalaRdd.mapPartitionsWithIndex(
                WorkerGroups.of(data.minibatches(), round * settings.averagingFrequency(), settings.averagingFrequency(),
                        workersPerTask),
                new ResidentRoundTask(runId, configuration, state, workersPerTask > 1, shards, recorder,
                        recorder == null ? null : layers,
                        penalty, settings.augmentation(), settings.shrinkAndPerturb(), replay,
                        settings.replay().perMinibatch(), predictFirst, task));
        JavaRDD<Tuple2<Integer, byte[]>> shuffled = JavaPairRDD.fromJavaRDD(trained)
                .partitionBy(shards.partitioner(summaryApart)).rdd().toJavaRDD();
        JavaRDD<byte[]> reduced = ScalaRdd.mapPartitionsWithIndex(shuffled, new ShardMean(shards, summaryApart,
                carried.isEmpty() ? null : WorkerRound.encodeRows(carried), null, null));
        int[] everyReducer = IntStream.range(0, shards.reducers(summaryApart)).toArray();
        if (!summaryApart) {
            return RoundAverage.assemble(shards, ScalaRdd.collectPartitions(reduced, everyReducer));
        }
        // The shard reducers measure the average's drift from the round's broadcast state. The summary reducer's
        // output is persisted and read again by the trajectory write, after the broadcast is destroyed, so it comes
        // from a function that holds no broadcast; both read the same shuffle, which runs once.
        JavaRDD<byte[]> means = ScalaRdd.mapPartitionsWithIndex(shuffled,
                new ShardMean(shards, true, null, state, layers));
        JavaRDD<byte[]> summaries = PrunedPartitions.only(reduced, shards.summaryReducer(true))
                .persist(sc.isLocal() ? StorageLevel.MEMORY_AND_DISK_SER() : StorageLevel.MEMORY_AND_DISK_SER_2());
        JavaRDD<byte[]> fromSummaries = ScalaRdd.filter(summaries, record -> !WorkerRound.isRows(record));
        RoundAverage average = RoundAverage.assemble(shards, ScalaRdd.collectPartitions(
                PrunedPartitions.below(means, shards.summaryReducer(true)).union(fromSummaries), everyReducer));
        long rows = carried.size();
        for (WorkerRound worker : average.workers()) {
            rows += (long) worker.minibatches() * rowsPerStep;
        }
        pending.addCached(summaries, ScalaRdd.map(ScalaRdd.filter(summaries, WorkerRound::isRows), WorkerRound::rowsOf),
                rows);
        pending.setOnDriver(List.of());
        return average;
    }
}
