package org.neuroplastic.jobs.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.data.Vectors;
import scala.Tuple2;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The sum of the states of the workers one map task trains ({@link WorkerGroups}), in double precision and in
 * the order they are added (partition order), cut into {@link StateShards} as shuffle records.
 */
final class WorkerSum {

    /** Values added at a time: a block of floats stays in a core's L1 cache. */
    private static final int BLOCK = 4096;

    private final StateShards shards;
    private final double[] sum;
    private final float[] block = new float[BLOCK];
    private int workers;
    private int firstPartition = -1;

    WorkerSum(StateShards shards) {
        this.shards = shards;
        this.sum = new double[(int) shards.length()];
    }

    /**
     * Adds one worker's state, laid out as {@link StateShards#encode} reads it: its parameters, its updater
     * state when the shards carry it (null otherwise), its path integral when they carry one (null otherwise).
     */
    void add(int partition, INDArray parameters, INDArray updaterState, float[] pathIntegral) {
        add(Vectors.view(parameters), 0, (int) shards.parameters());
        if (shards.pathIntegralStart() > shards.parameters()) {
            add(Vectors.view(updaterState), (int) shards.parameters(),
                    (int) (shards.pathIntegralStart() - shards.parameters()));
        }
        if (shards.pathIntegral() > 0) {
            add(FloatBuffer.wrap(pathIntegral), (int) shards.pathIntegralStart(), (int) shards.pathIntegral());
        }
        if (workers == 0) {
            firstPartition = partition;
        }
        workers++;
    }

    private void add(FloatBuffer values, int at, int length) {
        for (int from = 0; from < length; from += BLOCK) {
            int count = Math.min(BLOCK, length - from);
            values.get(from, block, 0, count);
            for (int i = 0; i < count; i++) {
                sum[at + from + i] += block[i];
            }
        }
    }

    /** How many workers' states were added. */
    int workers() {
        return workers;
    }

    /** The sum as one shuffle record per shard, keyed by shard; none when no worker was added. */
    List<Tuple2<Integer, byte[]>> records() {
        List<Tuple2<Integer, byte[]>> records = new ArrayList<>(shards.shards());
        for (int shard = 0; workers > 0 && shard < shards.shards(); shard++) {
            records.add(new Tuple2<>(shard, shards.encodeSum(shard, firstPartition, workers, sum)));
        }
        return records;
    }
}
