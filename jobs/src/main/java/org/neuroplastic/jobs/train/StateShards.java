package org.neuroplastic.jobs.train;

import org.apache.spark.Partitioner;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.data.Vectors;

import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * How the state a worker returns after a round (its parameters, then its updater state when that is
 * averaged) is cut into contiguous shards, one per reducer of the round's shuffle, so that the average is
 * computed by the executors (a reduce-scatter) rather than by the driver: each reducer receives one shard
 * from every worker that trained. Shard {@code k} holds positions {@code [start(k), start(k + 1))} of the
 * concatenated vector. The record key {@link #summaryShard()} (one past the last shard) carries the
 * workers' summaries (counts, loss, trajectory rows) to {@link #summaryReducer}: a reducer of their own when
 * the summary reducer's output is kept apart (trajectory rows stay where it ran), else the last shard's
 * reducer, so that a round has one reducer per shard and, with a shard per task slot, runs its reducers in
 * one wave instead of two (a third reducer on two slots waited for a slot every round).
 *
 * <p>Shard count: at least one per task slot, so that averaging uses every core, and enough that no reducer
 * receives more than {@link #REDUCER_INPUT_BYTES} from all workers together; but never more shards than
 * records per shard (workers, or groups of workers sent as one sum: each reducer then receives one record's
 * worth of state in total, the least a reduce-scatter can do). The reducers' input, memory and work are thus
 * bounded as workers grow, and the driver receives the averaged state once, whatever the number of workers.
 */
final class StateShards implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Bound on the bytes one reducer receives from all workers, unless shards would outnumber workers. */
    static final long REDUCER_INPUT_BYTES = 32L << 20;

    /** A shard record's header: the first worker's partition and the number of workers it sums. */
    static final int HEADER = 8;

    private final long parameters;
    private final long length;
    private final int shards;
    private final long pathIntegral;

    /**
     * Exactly {@code shards} shards of a state of {@code length} values whose first {@code parameters} are
     * parameters and whose last {@code pathIntegral} values (0: none) are the worker's Synaptic Intelligence
     * path integral of the round (averaged like the rest; see {@link SynapticBoundary}).
     */
    StateShards(long parameters, long length, int shards, long pathIntegral) {
        if (parameters < 0 || pathIntegral < 0 || parameters + pathIntegral > length || shards < 1
                || shards > Math.max(1, length)) {
            throw new IllegalArgumentException("cannot cut " + length + " values (" + parameters + " parameters, "
                    + pathIntegral + " path integral) into " + shards + " shards");
        }
        this.parameters = parameters;
        this.length = length;
        this.shards = shards;
        this.pathIntegral = pathIntegral;
    }

    /**
     * @param parameters     values of the parameter vector (the first part of the state)
     * @param updaterState   values of the averaged updater state after it (0 when not averaged)
     * @param pathIntegral   values of SI's path integral after that (0 when SI is off)
     * @param workers        workers of the round
     * @param workersPerTask workers each map task sends as one sum of doubles ({@link WorkerGroups}); 1: each
     *                       worker's floats
     * @param slots          tasks the cluster runs at once (Spark's default parallelism)
     */
    static StateShards of(long parameters, long updaterState, long pathIntegral, int workers, int workersPerTask,
                          int slots) {
        long length = parameters + updaterState + pathIntegral;
        int records = (workers + workersPerTask - 1) / workersPerTask;
        long bytesIn = (workersPerTask > 1 ? 8L : 4L) * length * records;
        long wanted = Math.max(slots, (bytesIn + REDUCER_INPUT_BYTES - 1) / REDUCER_INPUT_BYTES);
        int shards = (int) Math.max(1, Math.min(Math.min(wanted, records), length));
        return new StateShards(parameters, length, shards, pathIntegral);
    }

    int shards() {
        return shards;
    }

    /** The record key of worker summaries; also the number of shard reducers. */
    int summaryShard() {
        return shards;
    }

    long length() {
        return length;
    }

    long parameters() {
        return parameters;
    }

    /** Values of the path integral at the end of the state (0: none). */
    long pathIntegral() {
        return pathIntegral;
    }

    /** Where the path integral starts: the end of the parameters and updater state. */
    long pathIntegralStart() {
        return length - pathIntegral;
    }

    long start(int shard) {
        return shard * length / shards;
    }

    /**
     * One worker's shard as a shuffle record value: the worker's partition, the number of workers the record
     * sums (1), then the shard's values read from the worker's parameters, (past {@link #parameters()}) its
     * updater state, and (past {@link #pathIntegralStart()}) its path integral, null when there is none.
     */
    byte[] encode(int shard, int partition, INDArray parameterVector, INDArray updaterState, float[] pathIntegralValues) {
        long from = start(shard);
        long to = start(shard + 1);
        long updaterEnd = pathIntegralStart();
        ByteBuffer buffer = Vectors.allocate(HEADER + 4 * (int) (to - from));
        buffer.putInt(partition).putInt(1);
        if (from < parameters) {
            Vectors.putRange(buffer, parameterVector, from, (int) (Math.min(to, parameters) - from));
        }
        if (Math.max(from, parameters) < Math.min(to, updaterEnd)) {
            long updaterFrom = Math.max(from, parameters) - parameters;
            Vectors.putRange(buffer, updaterState, updaterFrom, (int) (Math.min(to, updaterEnd) - parameters - updaterFrom));
        }
        if (to > updaterEnd) {
            int integralFrom = (int) (Math.max(from, updaterEnd) - updaterEnd);
            for (int i = integralFrom; i < to - updaterEnd; i++) {
                buffer.putFloat(pathIntegralValues[i]);
            }
        }
        return buffer.array();
    }

    /**
     * The shard of the sum of {@code workers} workers' states ({@link WorkerGroups}) as a shuffle record value:
     * the first summed worker's partition, {@code workers}, then the sums as doubles, so that the reducer adds
     * them unrounded. A sum of one worker is that worker's floats exactly, and is sent as {@link #encode} sends it.
     */
    byte[] encodeSum(int shard, int firstPartition, int workers, double[] sum) {
        int from = (int) start(shard);
        int to = (int) start(shard + 1);
        ByteBuffer buffer = Vectors.allocate(HEADER + (workers == 1 ? 4 : 8) * (to - from));
        buffer.putInt(firstPartition).putInt(workers);
        for (int i = from; i < to; i++) {
            if (workers == 1) {
                buffer.putFloat((float) sum[i]);
            } else {
                buffer.putDouble(sum[i]);
            }
        }
        return buffer.array();
    }

    /** Of a shard record: the first worker it holds, by partition. */
    static int partitionOf(byte[] record) {
        return Vectors.wrap(record).getInt(0);
    }

    /** Of a shard record: how many workers' states it sums; 1: floats, else doubles. */
    static int workersOf(byte[] record) {
        return Vectors.wrap(record).getInt(4);
    }

    /**
     * The reducer that receives the worker summaries: one of their own ({@code summaryApart}, after the shard
     * reducers) or the last shard's.
     */
    int summaryReducer(boolean summaryApart) {
        return summaryApart ? shards : shards - 1;
    }

    /** The round's reducers: one per shard, and one more for the summaries when they are kept apart. */
    int reducers(boolean summaryApart) {
        return summaryReducer(summaryApart) + 1;
    }

    /** Sends shard {@code k} to reducer {@code k} and worker summaries to {@link #summaryReducer}. */
    Partitioner partitioner(boolean summaryApart) {
        return new ShardPartitioner(reducers(summaryApart));
    }

    private static final class ShardPartitioner extends Partitioner {

        private static final long serialVersionUID = 1L;
        private final int partitions;

        ShardPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return Math.min((Integer) key, partitions - 1);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ShardPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
