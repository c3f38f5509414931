package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.function.Function2;
import org.neuroplastic.jobs.data.Vectors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The reduce side of an averaging round, run by the executors: reducer {@code k} averages shard {@code k}
 * of the trained workers' states; the last reducer passes the workers' summaries and trajectory rows on,
 * with the rows the driver made for the previous round. The driver receives the averaged state once and a
 * few scalars per worker (see {@link RoundAverage}).
 *
 * <p>The mean adds the workers in partition order in double precision and rounds once to float, exactly as
 * the driver did when it averaged, so training stays bit-identical whatever the shard count.
 */
final class ShardMean implements Function2<Integer, Iterator<byte[]>, Iterator<byte[]>> {

    private static final long serialVersionUID = 1L;

    private final StateShards shards;
    private final byte[] carriedRows;

    /** @param carriedRows a rows record ({@link WorkerRound#encodeRows}) the summary reducer adds; null: none */
    ShardMean(StateShards shards, byte[] carriedRows) {
        this.shards = shards;
        this.carriedRows = carriedRows;
    }

    @Override
    public Iterator<byte[]> call(Integer shard, Iterator<byte[]> records) {
        List<byte[]> workers = new ArrayList<>();
        records.forEachRemaining(workers::add);
        if (shard == shards.summaryShard()) {
            if (carriedRows != null) {
                workers.add(carriedRows);
            }
            return workers.iterator();
        }
        if (workers.isEmpty()) {
            return List.<byte[]>of().iterator();
        }
        workers.sort(Comparator.comparingInt(ShardMean::partitionOf));
        long from = shards.start(shard);
        int length = (int) (shards.start(shard + 1) - from);
        double[] sum = new double[length];
        for (byte[] worker : workers) {
            ByteBuffer values = Vectors.wrap(worker).position(4).slice().order(Vectors.ORDER);
            for (int i = 0; i < length; i++) {
                sum[i] += values.getFloat();
            }
        }
        float[] mean = new float[length];
        for (int i = 0; i < length; i++) {
            mean[i] = (float) (sum[i] / workers.size());
        }
        ByteBuffer buffer = Vectors.allocate(4 + 4 * length);
        buffer.putInt(shard);
        Vectors.put(buffer, mean);
        return List.of(buffer.array()).iterator();
    }

    static int partitionOf(byte[] shardRecord) {
        return Vectors.wrap(shardRecord).getInt();
    }
}
