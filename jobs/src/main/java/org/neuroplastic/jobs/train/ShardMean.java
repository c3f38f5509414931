package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.function.Function2;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.jobs.trajectory.ParameterLayout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The reduce side of an averaging round, run by the executors: reducer {@code k} averages shard {@code k}
 * of the trained workers' states and, when trajectories are on, measures each worker's squared distance
 * from that average per layer over the shard; the last reducer passes the workers' summaries on. The
 * driver receives the averaged state once and a few scalars per worker (see {@link RoundAverage}).
 *
 * <p>The mean adds the workers in partition order in double precision and rounds once to float, exactly as
 * the driver did when it averaged, so training stays bit-identical whatever the shard count.
 */
final class ShardMean implements Function2<Integer, Iterator<byte[]>, Iterator<byte[]>> {

    private static final long serialVersionUID = 1L;

    private final StateShards shards;
    private final ParameterLayout layout;

    /** @param layout where each layer's parameters are, for worker divergence; null when not measured */
    ShardMean(StateShards shards, ParameterLayout layout) {
        this.shards = shards;
        this.layout = layout;
    }

    @Override
    public Iterator<byte[]> call(Integer shard, Iterator<byte[]> records) {
        if (shard == shards.summaryShard()) {
            return records;
        }
        List<byte[]> workers = new ArrayList<>();
        records.forEachRemaining(workers::add);
        if (workers.isEmpty()) {
            return List.<byte[]>of().iterator();
        }
        workers.sort(Comparator.comparingInt(ShardMean::partitionOf));
        long from = shards.start(shard);
        int length = (int) (shards.start(shard + 1) - from);
        double[] sum = new double[length];
        for (byte[] worker : workers) {
            ByteBuffer values = valuesOf(worker);
            for (int i = 0; i < length; i++) {
                sum[i] += values.getFloat();
            }
        }
        float[] mean = new float[length];
        for (int i = 0; i < length; i++) {
            mean[i] = (float) (sum[i] / workers.size());
        }
        return List.of(encode(shard, from, mean, workers)).iterator();
    }

    /**
     * Layout: shard, workers, the mean's values, then per worker its partition, the number of layers it has
     * values of in this shard, and per such layer the layer index and the sum of squared differences.
     */
    private byte[] encode(int shard, long from, float[] mean, List<byte[]> workers) {
        List<long[]> overlaps = layerOverlaps(from, from + mean.length);
        ByteBuffer buffer = Vectors.allocate(8 + 4 * mean.length + workers.size() * (8 + 12 * overlaps.size()));
        buffer.putInt(shard).putInt(workers.size());
        Vectors.put(buffer, mean);
        for (byte[] worker : workers) {
            buffer.putInt(partitionOf(worker)).putInt(overlaps.size());
            ByteBuffer values = valuesOf(worker);
            for (long[] overlap : overlaps) {
                int start = (int) (overlap[1] - from);
                int end = (int) (overlap[2] - from);
                double squares = 0;
                for (int i = start; i < end; i++) {
                    double d = (double) values.getFloat(4 * i) - mean[i];
                    squares += d * d;
                }
                buffer.putInt((int) overlap[0]).putDouble(squares);
            }
        }
        return buffer.array();
    }

    /** Each layer whose parameters meet {@code [from, to)}, as {layer, first, end} positions in the state. */
    private List<long[]> layerOverlaps(long from, long to) {
        List<long[]> overlaps = new ArrayList<>();
        if (layout == null) {
            return overlaps;
        }
        for (Map.Entry<Integer, long[]> layer : layout.slices().entrySet()) {
            long first = Math.max(from, layer.getValue()[0]);
            long end = Math.min(to, layer.getValue()[0] + layer.getValue()[1]);
            if (first < end) {
                overlaps.add(new long[] {layer.getKey(), first, end});
            }
        }
        return overlaps;
    }

    static int partitionOf(byte[] shardRecord) {
        return Vectors.wrap(shardRecord).getInt();
    }

    private static ByteBuffer valuesOf(byte[] shardRecord) {
        return Vectors.wrap(shardRecord).position(4).slice().order(Vectors.ORDER);
    }
}
