package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;

/**
 * Some partitions of an RDD as an RDD of their own (Spark's {@link PartitionPruningRDD}): computing it
 * computes those partitions of the parent and no other, so one reducer's output can be persisted apart
 * from the others'.
 */
final class PrunedPartitions {

    private PrunedPartitions() {
    }

    /** Partition {@code partition} of {@code rdd}. */
    static <T> JavaRDD<T> only(JavaRDD<T> rdd, int partition) {
        return prune(rdd, partition, partition + 1);
    }

    /** Partitions {@code 0 .. end - 1} of {@code rdd}, in order. */
    static <T> JavaRDD<T> below(JavaRDD<T> rdd, int end) {
        return prune(rdd, 0, end);
    }

    private static <T> JavaRDD<T> prune(JavaRDD<T> rdd, int from, int to) {
        return new JavaRDD<>(PartitionPruningRDD.create(rdd.rdd(), new Range(from, to)), rdd.classTag());
    }

    /** Whether a partition index is in {@code [from, to)}. */
    private static final class Range extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;

        Range(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object partition) {
            int p = (Integer) partition;
            return p >= from && p < to;
        }
    }
}
