package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.jobs.trajectory.ParameterLayout;
import scala.Tuple2;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The reduce side of an averaging round, run by the executors: reducer {@code k} averages shard {@code k}
 * of the trained workers' states; the summary reducer ({@link StateShards#summaryReducer}) passes the
 * workers' summaries and trajectory rows on, with the rows the driver made for the previous round. The
 * driver receives the averaged state once and a few scalars per worker (see {@link RoundAverage}). An
 * averaged shard is marked ({@link #isMean}), as a reducer's output may mix it with summaries.
 *
 * <p>The mean adds the records in partition order in double precision and rounds once to float, exactly as
 * the driver did when it averaged, so training stays bit-identical whatever the shard count. A record is one
 * worker's state, or, with more workers than task slots, a group's sum of its workers' states, added in
 * partition order in double precision by the task that trained them ({@link WorkerGroups}).
 *
 * <p>Each averaged shard also counts its non-finite parameters (NaN or infinite; the updater state and path
 * integral past {@link StateShards#parameters()} are not counted), so that the driver learns whether the averaged
 * network diverged from a few integers and scans its parameters only to name what diverged. A mean of finite
 * floats is finite (the sum is a double), so a non-finite mean is a worker's non-finite value.
 *
 * <p>With trajectories on, each averaged shard also carries, per layer, the squared distance its parameters
 * moved from the round's broadcast state: the driver adds them up into the {@code avg} rows' drift, so the
 * distance is measured where the average is, in one pass the reducers make anyway.
 */
final class ShardMean implements Function2<Integer, Iterator<Tuple2<Integer, byte[]>>, Iterator<byte[]>> {

    private static final long serialVersionUID = 1L;

    /** Values averaged at a time: 16,384 doubles of sums fit a core's L2 cache. */
    private static final int BLOCK = 16_384;

    /** First int of an averaged shard; a summary starts with its partition (>= 0), rows with -1. */
    private static final int MEAN = -2;

    /**
     * An averaged shard's header: {@link #MEAN}, the shard, its non-finite parameters and the number of layers
     * whose squared drift follows (as doubles), before the shard's values.
     */
    private static final int HEADER = 16;

    private final StateShards shards;
    private final boolean summaryApart;
    private final byte[] carriedRows;
    private final Broadcast<byte[]> roundStart;
    private final ParameterLayout layers;

    /**
     * @param summaryApart whether the summaries have a reducer of their own ({@link StateShards#summaryReducer})
     * @param carriedRows  a rows record ({@link WorkerRound#encodeRows}) the summary reducer adds; null: none
     * @param roundStart   the round's broadcast state ({@link RoundState}), to measure the drift from; null: the
     *                     drift is not measured
     * @param layers       where each layer's parameters are; null when {@code roundStart} is
     */
    ShardMean(StateShards shards, boolean summaryApart, byte[] carriedRows, Broadcast<byte[]> roundStart,
              ParameterLayout layers) {
        this.shards = shards;
        this.summaryApart = summaryApart;
        this.carriedRows = carriedRows;
        this.roundStart = roundStart;
        this.layers = layers;
    }

    @Override
    public Iterator<byte[]> call(Integer reducer, Iterator<Tuple2<Integer, byte[]>> records) {
        List<byte[]> workers = new ArrayList<>();
        List<byte[]> output = new ArrayList<>();
        records.forEachRemaining(record -> (record._1() == shards.summaryShard() ? output : workers).add(record._2()));
        if (reducer == shards.summaryReducer(summaryApart) && carriedRows != null) {
            output.add(carriedRows);
        }
        if (!workers.isEmpty()) {
            output.add(mean(reducer, workers));
        }
        return output.iterator();
    }

    private byte[] mean(int shard, List<byte[]> workers) {
        workers.sort(Comparator.comparingInt(StateShards::partitionOf));
        long shardStart = shards.start(shard);
        int length = (int) (shards.start(shard + 1) - shardStart);
        double[] squares = roundStart == null ? new double[0] : new double[layers.layers()];
        FloatBuffer startValues = roundStart == null ? null : RoundState.parameters(roundStart.value());
        int valuesAt = HEADER + 8 * squares.length;
        ByteBuffer buffer = Vectors.allocate(valuesAt + 4 * length);
        FloatBuffer mean = buffer.position(valuesAt).slice().order(Vectors.ORDER).asFloatBuffer();
        int parametersInShard = (int) Math.max(0, Math.min(length, shards.parameters() - shardStart));
        int nonFinite = 0;
        // A record holds one worker's floats or a group of workers' sum in doubles (StateShards.encodeSum).
        FloatBuffer[] singles = new FloatBuffer[workers.size()];
        DoubleBuffer[] sums = new DoubleBuffer[workers.size()];
        int summed = 0;
        for (int w = 0; w < workers.size(); w++) {
            byte[] record = workers.get(w);
            ByteBuffer values = Vectors.wrap(record).position(StateShards.HEADER).slice().order(Vectors.ORDER);
            int count = StateShards.workersOf(record);
            if (count == 1) {
                singles[w] = values.asFloatBuffer();
            } else {
                sums[w] = values.asDoubleBuffer();
            }
            summed += count;
        }
        // Block by block, so that the sums stay in cache while every worker's values stream past once:
        // element by element over the whole shard, this was a quarter of a round's Java time (JFR,
        // bin/benchmark scaling at 1.5M parameters). The order of the additions is unchanged.
        double[] sum = new double[Math.min(BLOCK, length)];
        float[] values = new float[sum.length];
        double[] groupValues = new double[sum.length];
        float[] means = new float[sum.length];
        for (int start = 0; start < length; start += BLOCK) {
            int count = Math.min(BLOCK, length - start);
            Arrays.fill(sum, 0, count, 0.0);
            for (int w = 0; w < singles.length; w++) {
                if (singles[w] != null) {
                    singles[w].get(values, 0, count);
                    for (int i = 0; i < count; i++) {
                        sum[i] += values[i];
                    }
                } else {
                    sums[w].get(groupValues, 0, count);
                    for (int i = 0; i < count; i++) {
                        sum[i] += groupValues[i];
                    }
                }
            }
            int parametersInBlock = Math.max(0, Math.min(count, parametersInShard - start));
            for (int i = 0; i < count; i++) {
                means[i] = (float) (sum[i] / summed);
                if (i < parametersInBlock && !Float.isFinite(means[i])) {
                    nonFinite++;
                }
            }
            mean.put(means, 0, count);
            if (startValues != null && parametersInBlock > 0) {
                startValues.get((int) shardStart + start, values, 0, parametersInBlock);
                layers.addSquares(shardStart + start, values, means, parametersInBlock, squares);
            }
        }
        buffer.putInt(0, MEAN).putInt(4, shard).putInt(8, nonFinite).putInt(12, squares.length);
        for (int layer = 0; layer < squares.length; layer++) {
            buffer.putDouble(HEADER + 8 * layer, squares[layer]);
        }
        return buffer.array();
    }

    /** Of an averaged shard: the shard's index. */
    static int shardOf(byte[] mean) {
        return Vectors.wrap(mean).getInt(4);
    }

    /** Of an averaged shard: how many of its parameters are NaN or infinite. */
    static int nonFiniteParametersOf(byte[] mean) {
        return Vectors.wrap(mean).getInt(8);
    }

    /**
     * Of an averaged shard: per layer index, the squared distance its parameters moved from the round's start;
     * empty when not measured.
     */
    static double[] squaredDriftOf(byte[] mean) {
        ByteBuffer buffer = Vectors.wrap(mean);
        double[] squares = new double[buffer.getInt(12)];
        for (int layer = 0; layer < squares.length; layer++) {
            squares[layer] = buffer.getDouble(HEADER + 8 * layer);
        }
        return squares;
    }

    /** Of an averaged shard: its values, from the end of its header and squared drift. */
    static FloatBuffer valuesOf(byte[] mean) {
        ByteBuffer buffer = Vectors.wrap(mean);
        return buffer.position(HEADER + 8 * buffer.getInt(12)).slice().order(Vectors.ORDER).asFloatBuffer();
    }

    /** Whether a reducer's output record is an averaged shard (else a summary or rows). */
    static boolean isMean(byte[] record) {
        return Vectors.wrap(record).getInt() == MEAN;
    }

}
