package org.neuroplastic.jobs.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.trajectory.ParameterLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The executors' side of averaging, reducer by reducer, and what the driver assembles from it. */
class ShardMeanTest {

    /** SmallNetworks' classifier: layer 0 holds positions [0, 70) (6x10 weights, 10 biases), layer 1 [70, 103). */
    private static final int PARAMETERS = 103;
    private static final int UPDATER = 3;

    @Test
    void reducersAverageTheirShardsAndMeasureEachWorkersDistancePerLayer() {
        ParameterLayout layout = ParameterLayout.of(SmallNetworks.classifier());
        assertThat(layout.slices().get(0)).containsExactly(0, 70);
        assertThat(layout.slices().get(1)).containsExactly(70, 33);
        // Four shards of 106 values: [0, 26), [26, 53), [53, 79), [79, 106); the layer boundary at 70 and the
        // updater state at 103 fall inside shards 2 and 3.
        StateShards shards = new StateShards(PARAMETERS, PARAMETERS + UPDATER, 4, 0);
        float[][] workers = {constant(0, 0), constant(1, 1), constant(2, 100)};

        RoundAverage average = reduce(shards, layout, workers, new int[] {2, 0, 1});

        // Parameters: (0 + 1 + 2) / 3 = 1 everywhere. Updater state: (0 + 1 + 100) / 3.
        float[] expected = new float[PARAMETERS + UPDATER];
        Arrays.fill(expected, 0, PARAMETERS, 1f);
        Arrays.fill(expected, PARAMETERS, PARAMETERS + UPDATER, (float) (101.0 / 3));
        assertThat(average.state()).containsExactly(expected);
        // Workers 0 and 2 differ from the mean by 1 at each parameter: sqrt(70) in layer 0, sqrt(33) in
        // layer 1; worker 1 is the mean. The updater state (off by 99 for worker 2) is not a parameter.
        assertThat(average.divergence().get(0)).containsExactly(new double[] {Math.sqrt(70), Math.sqrt(33)},
                within(1e-12));
        assertThat(average.divergence().get(1)).containsExactly(0.0, 0.0);
        assertThat(average.divergence().get(2)).containsExactly(new double[] {Math.sqrt(70), Math.sqrt(33)},
                within(1e-12));
        assertThat(average.workers()).extracting(WorkerRound::partition).containsExactly(0, 1, 2);
    }

    @Test
    void theMeanIsTheDoubleSumInPartitionOrderRoundedOnceToFloat() {
        StateShards shards = new StateShards(1, 1, 1, 0);
        float[][] workers = {{0.1f}, {0.2f}, {0.7f}};

        RoundAverage average = reduce(shards, null, workers, new int[] {1, 2, 0});

        assertThat(average.state()[0]).isEqualTo((float) (((double) 0.1f + (double) 0.2f + (double) 0.7f) / 3));
        assertThat(average.divergence()).isEmpty();
    }

    @Test
    void aWorkerWithoutMinibatchesIsSummarisedButNotAveraged() {
        StateShards shards = new StateShards(2, 2, 1, 0);
        List<List<byte[]>> reduced = new ArrayList<>();
        ShardMean mean = new ShardMean(shards, null);
        List<byte[]> records = List.of(shards.encode(0, 0, Nd4j.createFromArray(2f, 4f), null, null));
        reduced.add(collect(mean, 0, records));
        reduced.add(collect(mean, 1, List.of(summary(0, 1), WorkerRound.idle(1, "e").encode())));

        RoundAverage average = RoundAverage.assemble(shards, reduced, 2);

        assertThat(average.state()).containsExactly(2f, 4f);
        assertThat(average.workers()).extracting(WorkerRound::trained).containsExactly(true, false);
    }

    /** Runs every reducer on the workers' records, delivered in {@code arrival} order. */
    private static RoundAverage reduce(StateShards shards, ParameterLayout layout, float[][] workers, int[] arrival) {
        ShardMean mean = new ShardMean(shards, layout);
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
        return RoundAverage.assemble(shards, reduced, 2);
    }

    private static List<byte[]> collect(ShardMean mean, int shard, List<byte[]> records) {
        List<byte[]> output = new ArrayList<>();
        mean.call(shard, records.iterator()).forEachRemaining(output::add);
        return output;
    }

    private static byte[] summary(int partition, int minibatches) {
        return new WorkerRound(partition, "e", minibatches, 8, 0.5, 10, List.of()).encode();
    }

    /** {@code parameter} at every parameter position, {@code updater} at every updater position. */
    private static float[] constant(float parameter, float updater) {
        float[] state = new float[PARAMETERS + UPDATER];
        Arrays.fill(state, 0, PARAMETERS, parameter);
        Arrays.fill(state, PARAMETERS, PARAMETERS + UPDATER, updater);
        return state;
    }
}
