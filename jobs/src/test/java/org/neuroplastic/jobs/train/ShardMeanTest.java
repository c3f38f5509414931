package org.neuroplastic.jobs.train;

import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.jobs.trajectory.EncodedRows;
import org.neuroplastic.jobs.trajectory.LayerMetrics;
import org.neuroplastic.jobs.trajectory.ParameterLayout;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import scala.Tuple2;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The executors' side of averaging, reducer by reducer, and what the driver assembles from it. */
class ShardMeanTest {

    /** SmallNetworks' classifier's parameter count. */
    private static final int PARAMETERS = 103;
    private static final int UPDATER = 3;

    @Test
    void reducersAverageTheirShardsWhereverTheShardBoundariesFall() {
        // Four shards of 106 values: [0, 26), [26, 53), [53, 79), [79, 106); the updater state at 103 starts
        // inside shard 3.
        StateShards shards = new StateShards(PARAMETERS, PARAMETERS + UPDATER, 4, 0);
        float[][] workers = {constant(0, 0), constant(1, 1), constant(2, 100)};

        RoundAverage average = reduce(shards, workers, new int[] {2, 0, 1});

        // Parameters: (0 + 1 + 2) / 3 = 1 everywhere. Updater state: (0 + 1 + 100) / 3.
        float[] expected = new float[PARAMETERS + UPDATER];
        Arrays.fill(expected, 0, PARAMETERS, 1f);
        Arrays.fill(expected, PARAMETERS, PARAMETERS + UPDATER, (float) (101.0 / 3));
        assertThat(average.state()).containsExactly(expected);
        assertThat(average.workers()).extracting(WorkerRound::partition).containsExactly(0, 1, 2);
        assertThat(average.nonFiniteParameters()).isZero();
    }

    @Test
    void theReducersCountTheNonFiniteParametersOfTheAverageButNotOfTheUpdaterState() {
        // Shards [0, 26), [26, 53), [53, 79), [79, 106); parameters end at 103.
        StateShards shards = new StateShards(PARAMETERS, PARAMETERS + UPDATER, 4, 0);
        float[] blownUp = constant(1, 1);
        blownUp[5] = Float.NaN;
        blownUp[80] = Float.POSITIVE_INFINITY;
        blownUp[104] = Float.NaN;
        float[] opposite = constant(1, 1);
        opposite[30] = Float.MAX_VALUE;
        float[][] workers = {constant(0, 0), blownUp, opposite};

        RoundAverage average = reduce(shards, workers, new int[] {0, 1, 2});

        // 5 (shard 0) and 80 (shard 3) are parameters; 104 is updater state. MAX_VALUE / 3 stays finite.
        assertThat(average.nonFiniteParameters()).isEqualTo(2);
        assertThat(average.state()[5]).isNaN();
        assertThat(average.state()[80]).isInfinite();
        assertThat(average.state()[30]).isFinite();
    }

    @Test
    void theSummaryReducerPassesSummariesAndRowsOnAndAddsTheCarriedRows() {
        StateShards shards = new StateShards(2, 2, 1, 0);
        TrajectoryScope scope = new TrajectoryScope("run", null, 0);
        TrajectoryRecord workerRow = TrajectoryRecord.of(scope, 0, 1, 4, "0", "e", LayerMetrics.weightsOnly(0, 2.0),
                0.5, 0.25, null, 3);
        TrajectoryRecord carriedRow = TrajectoryRecord.of(scope, 0, 0, 2, TrajectoryRecord.AVERAGED, "driver",
                LayerMetrics.weightsOnly(0, 1.0), 0.6, 0.2, 0.1, 9);
        ShardMean mean = new ShardMean(shards, true, WorkerRound.encodeRows(List.of(carriedRow)), null, null);

        List<byte[]> output = collect(mean, shards.summaryShard(),
                List.of(summary(0, 1), WorkerRound.encodeRows(List.of(workerRow))));

        assertThat(output).hasSize(3);
        List<TrajectoryRecord> rows = output.stream().filter(WorkerRound::isRows)
                .flatMap(record -> EncodedRows.decode(WorkerRound.rowsOf(record)).stream()).toList();
        assertThat(rows).containsExactly(workerRow, carriedRow);
        RoundAverage average = RoundAverage.assemble(shards,
                List.of(collect(mean, 0, List.of(shards.encode(0, 0, Nd4j.createFromArray(2f, 4f), null, null))),
                        output));
        assertThat(average.workers()).extracting(WorkerRound::partition).containsExactly(0);
    }

    @Test
    void theMeanIsTheDoubleSumInPartitionOrderRoundedOnceToFloat() {
        StateShards shards = new StateShards(1, 1, 1, 0);
        float[][] workers = {{0.1f}, {0.2f}, {0.7f}};

        RoundAverage average = reduce(shards, workers, new int[] {1, 2, 0});

        assertThat(average.state()[0]).isEqualTo((float) (((double) 0.1f + (double) 0.2f + (double) 0.7f) / 3));
    }

    /** 40,000 values: the reducer works through several blocks, and each value follows the same rule. */
    @Test
    void aShardLongerThanOneBlockIsAveragedByTheSameRuleEverywhere() {
        int length = 40_000;
        StateShards shards = new StateShards(length, length, 1, 0);
        SplittableRandom random = new SplittableRandom(3);
        float[][] workers = new float[3][length];
        for (float[] worker : workers) {
            for (int i = 0; i < length; i++) {
                worker[i] = (float) random.nextDouble(-1, 1);
            }
        }

        RoundAverage average = reduce(shards, workers, new int[] {2, 0, 1});

        for (int i = 0; i < length; i++) {
            float expected = (float) (((double) workers[0][i] + workers[1][i] + workers[2][i]) / 3);
            assertThat(average.state()[i]).as("value %d", i).isEqualTo(expected);
        }
    }

    @Test
    void aWorkerWithoutMinibatchesIsSummarisedButNotAveraged() {
        StateShards shards = new StateShards(2, 2, 1, 0);
        List<List<byte[]>> reduced = new ArrayList<>();
        ShardMean mean = new ShardMean(shards, true, null, null, null);
        List<byte[]> records = List.of(shards.encode(0, 0, Nd4j.createFromArray(2f, 4f), null, null));
        reduced.add(collect(mean, 0, records));
        reduced.add(collect(mean, 1, List.of(summary(0, 1), WorkerRound.idle(1, "e").encode())));

        RoundAverage average = RoundAverage.assemble(shards, reduced);

        assertThat(average.state()).containsExactly(2f, 4f);
        assertThat(average.workers()).extracting(WorkerRound::trained).containsExactly(true, false);
    }

    @Test
    void withoutASummaryReducerTheLastShardReducerAveragesItsShardAndPassesTheSummariesOn() {
        // Two shards of 4 values: [0, 2) and [2, 4); the summaries (key 2) go to reducer 1.
        StateShards shards = new StateShards(4, 4, 2, 0);
        ShardMean mean = new ShardMean(shards, false, null, null, null);
        INDArray first = Nd4j.createFromArray(1f, 2f, 3f, 4f);
        INDArray second = Nd4j.createFromArray(3f, 4f, 5f, 10f);
        assertThat(shards.reducers(false)).isEqualTo(2);
        assertThat(shards.partitioner(false).getPartition(shards.summaryShard())).isEqualTo(1);

        List<byte[]> last = collectKeyed(mean, 1, List.of(new Tuple2<>(2, summary(1, 1)),
                new Tuple2<>(1, shards.encode(1, 1, second, null, null)), new Tuple2<>(2, summary(0, 1)),
                new Tuple2<>(1, shards.encode(1, 0, first, null, null))));
        List<byte[]> firstReducer = collect(mean, 0, List.of(shards.encode(0, 1, second, null, null),
                shards.encode(0, 0, first, null, null)));

        assertThat(last).hasSize(3);
        assertThat(last.stream().filter(ShardMean::isMean)).hasSize(1);
        RoundAverage average = RoundAverage.assemble(shards, List.of(firstReducer, last));
        assertThat(average.state()).containsExactly(2f, 3f, 4f, 7f);
        assertThat(average.workers()).extracting(WorkerRound::partition).containsExactly(0, 1);
    }

    @Test
    void aGroupsSumInDoublesCountsAsItsWorkersBesideOneWorkersFloats() {
        StateShards shards = new StateShards(2, 2, 1, 0);
        // 2^24 + 1 has no float: a group's sum travels unrounded.
        byte[] group = shards.encodeSum(0, 0, 2, new double[] {16_777_217.0, 1.0 + 5.0});
        byte[] single = shards.encode(0, 2, Nd4j.createFromArray(1f, 9f), null, null);
        ShardMean mean = new ShardMean(shards, true, null, null, null);

        List<byte[]> output = collect(mean, 0, List.of(single, group));

        // (2^24 + 1 + 1) / 3 = 5,592,406 and (1 + 5 + 9) / 3 = 5.
        float[] values = new float[2];
        ShardMean.valuesOf(output.get(0)).get(values);
        assertThat(values).containsExactly(5_592_406f, 5f);
    }

    @Test
    void theReducersMeasureEachLayersDriftFromTheRoundsStartAcrossShardBoundaries() {
        // SmallNetworks' classifier: layer 0 is [0, 70), layer 1 [70, 103). Shards [0, 26), [26, 53), [53, 79),
        // [79, 106): layer 0 spans three shards, layer 1 two; the updater state [103, 106) is not a parameter.
        ParameterLayout layers = ParameterLayout.of(SmallNetworks.classifier());
        assertThat(layers.slices().get(0)).containsExactly(0, 70);
        assertThat(layers.slices().get(1)).containsExactly(70, 33);
        StateShards shards = new StateShards(PARAMETERS, PARAMETERS + UPDATER, 4, 0);
        float[] start = new float[PARAMETERS];
        Arrays.fill(start, 70, PARAMETERS, 3f);
        ShardMean mean = new ShardMean(shards, true, null, new FixedBroadcast(state(start)), layers);
        float[][] workers = {constant(0, 0), constant(1, 1), constant(2, 100)};

        RoundAverage average = reduce(mean, shards, workers, new int[] {1, 0, 2});

        // The mean is 1 everywhere: layer 0 moved 1 at 70 positions, layer 1 moved -2 at 33.
        assertThat(average.squaredDrift()).containsExactly(70.0, 33 * 4.0);
    }

    /** A broadcast of a fixed value, as a reducer reads it. */
    private static final class FixedBroadcast extends Broadcast<byte[]> {
        private static final long serialVersionUID = 1L;
        private final byte[] value;

        FixedBroadcast(byte[] value) {
            super(0L, ClassTag$.MODULE$.apply(byte[].class));
            this.value = value;
        }

        @Override
        public byte[] getValue() {
            return value;
        }

        @Override
        public void doUnpersist(boolean blocking) {
        }

        @Override
        public void doDestroy(boolean blocking) {
        }
    }

    /** A round's broadcast state ({@link RoundState}'s layout) with these parameters and no updater state. */
    private static byte[] state(float[] parameters) {
        ByteBuffer buffer = Vectors.allocate(16 + 4 * parameters.length);
        buffer.putInt(0).putInt(0).putInt(parameters.length).putInt(-1);
        buffer.asFloatBuffer().put(parameters);
        return buffer.array();
    }

    /** Runs every reducer on the workers' records, delivered in {@code arrival} order. */
    private static RoundAverage reduce(StateShards shards, float[][] workers, int[] arrival) {
        return reduce(new ShardMean(shards, true, null, null, null), shards, workers, arrival);
    }

    private static RoundAverage reduce(ShardMean mean, StateShards shards, float[][] workers, int[] arrival) {
        List<List<byte[]>> reduced = new ArrayList<>();
        for (int shard = 0; shard < shards.shards(); shard++) {
            List<byte[]> records = new ArrayList<>();
            for (int partition : arrival) {
                float[] state = workers[partition];
                records.add(shards.encode(shard, partition,
                        Nd4j.createFromArray(Arrays.copyOfRange(state, 0, (int) shards.parameters())),
                        shards.length() > shards.parameters() ? Nd4j.createFromArray(
                                Arrays.copyOfRange(state, (int) shards.parameters(), (int) shards.length())) : null, null));
            }
            reduced.add(collect(mean, shard, records));
        }
        List<byte[]> summaries = new ArrayList<>();
        for (int partition : arrival) {
            summaries.add(summary(partition, 1));
        }
        reduced.add(collect(mean, shards.summaryShard(), summaries));
        return RoundAverage.assemble(shards, reduced);
    }

    /** Reducer {@code shard}'s output from records all keyed {@code shard}. */
    private static List<byte[]> collect(ShardMean mean, int shard, List<byte[]> records) {
        return collectKeyed(mean, shard, records.stream().map(record -> new Tuple2<>(shard, record)).toList());
    }

    private static List<byte[]> collectKeyed(ShardMean mean, int reducer, Collection<Tuple2<Integer, byte[]>> records) {
        List<byte[]> output = new ArrayList<>();
        mean.call(reducer, records.iterator()).forEachRemaining(output::add);
        return output;
    }

    private static byte[] summary(int partition, int minibatches) {
        return new WorkerRound(partition, "e", minibatches, 8, 0.5, 10, -1, new double[0], Predictions.NONE).encode();
    }

    /** {@code parameter} at every parameter position, {@code updater} at every updater position. */
    private static float[] constant(float parameter, float updater) {
        float[] state = new float[PARAMETERS + UPDATER];
        Arrays.fill(state, 0, PARAMETERS, parameter);
        Arrays.fill(state, PARAMETERS, PARAMETERS + UPDATER, updater);
        return state;
    }
}
