package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Driver-side data as an RDD whose partition {@code i} yields slice {@code i}, the slices travelling once
 * per executor as one broadcast. A partition of {@code parallelize(data)} holds its data, and every task
 * over any RDD derived from it carries that data along (93 MB per task and round for Fashion-MNIST's
 * minibatches); these partitions only name their slice. The broadcast lives as long as the Spark
 * context, so the RDD can always be recomputed.
 */
public final class BroadcastSlices {

    private BroadcastSlices() {
    }

    /**
     * Where slice {@code slice} of {@code count} elements cut into {@code slices} contiguous runs begins,
     * {@code floor(slice * count / slices)}: the boundaries {@code parallelize} gives a list; slice
     * {@code slices} is {@code count}, the end of the last run.
     */
    public static int start(int slice, int count, int slices) {
        return (int) ((long) slice * count / slices);
    }

    public static <T> JavaRDD<T> of(JavaSparkContext sc, List<T> slices) {
        Broadcast<List<T>> shared = sc.broadcast(slices);
        return sc.parallelize(IntStream.range(0, slices.size()).boxed().toList(), slices.size())
                .map(slice -> shared.value().get(slice));
    }
}
