package org.neuroplastic.jobs.train;

import org.apache.spark.Dependency;
import org.apache.spark.NarrowDependency;
import org.apache.spark.Partition;
import org.apache.spark.Partitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.data.BroadcastSlices;
import org.neuroplastic.jobs.data.EncodedMinibatch;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The training data as the workers consume it: exactly {@code workers} partitions, each an ordered
 * run of minibatches of {@code batchSize} examples (the last one of a partition may be smaller).
 * Partition p is worker p; its i-th minibatch is fitted in round {@code i / averagingFrequency}.
 *
 * @param minibatches            the arranged RDD, persisted with the requested storage level
 * @param minibatchesPerPartition minibatches in each partition
 * @param examplesPerPartition   examples in each partition
 */
public record MinibatchLayout(JavaRDD<DataSet> minibatches, int[] minibatchesPerPartition,
                              long[] examplesPerPartition) {

    /** Above this a partition object holds data, not a reference to it (a 256 x 784 minibatch is 800 KB). */
    static final int DATA_CARRYING_PARTITION_BYTES = 64 * 1024;

    /**
     * Arranges {@code source} for {@code workers} workers: the elements are spread over
     * {@code workers} contiguous, equally sized ranges in source order (partition by partition,
     * element by element), then cut to minibatches of {@code batchSize} examples within each
     * partition. The source is computed once.
     *
     * <p>How depends on what the source's partitions hold. A partition of parallelized driver data holds
     * the data itself, serialized on the driver into every task that reads it: a persisted RDD must not
     * keep those partitions (every task of every round would carry them), and even a second stage over a
     * cached source would ship them all again. For such a source one shuffle moves the encoded elements
     * into {@code workers} groups of whole source partitions. A source whose partitions hold no data
     * (files, a broadcast, an earlier shuffle: see {@link #partitionsCarryData}) needs no shuffle: its
     * encoded elements are cached where they are computed, which saves writing and reading every example
     * once more. Either way a counting job fills that cache, the equal ranges are cut from it through a
     * narrow dependency ({@link ContiguousSlices}), a last counting job fills the layout's cache, and the
     * layouts are the same.
     */
    public static MinibatchLayout arrange(JavaRDD<DataSet> source, int workers, int batchSize, StorageLevel level) {
        // Elements are cached as bytes either way: a cached block may be read by a task on another
        // executor, and DataSets' off-heap arrays need a serializer that knows ND4J.
        JavaRDD<byte[]> elements = partitionsCarryData(source.rdd())
                ? group(source, workers)
                : source.map(EncodedMinibatch::encode);
        elements.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[][] elementCounts = count(elements, EncodedMinibatch::examples);
            long[] perParent = new long[elementCounts.length];
            for (int p = 0; p < elementCounts.length; p++) {
                perParent[p] = elementCounts[p][0];
            }
            JavaRDD<DataSet> minibatches = ContiguousSlices.of(elements.rdd(), perParent, workers, elements.classTag())
                    .toJavaRDD()
                    .map(EncodedMinibatch::decode)
                    .mapPartitions(new Rebatching(batchSize), true);
            minibatches.persist(level);
            long[][] counts = count(minibatches, DataSet::numExamples);
            int[] perPartition = new int[counts.length];
            long[] examples = new long[counts.length];
            for (int p = 0; p < counts.length; p++) {
                perPartition[p] = (int) counts[p][0];
                examples[p] = counts[p][1];
            }
            return new MinibatchLayout(minibatches, perPartition, examples);
        } finally {
            elements.unpersist(false);
        }
    }

    /**
     * Whether a task over {@code rdd} would carry data in its partition objects: whether the first
     * partition of any RDD it reads without a shuffle in between, down to the sources, serializes to more
     * than {@link #DATA_CARRYING_PARTITION_BYTES} (as {@code parallelize} of rows or DataSets does; a file
     * split, a broadcast's index or a shuffle's reduce partition is a few hundred bytes).
     */
    static boolean partitionsCarryData(RDD<?> rdd) {
        Partition[] partitions = rdd.partitions();
        if (partitions.length > 0 && serializedSize(partitions[0]) > DATA_CARRYING_PARTITION_BYTES) {
            return true;
        }
        for (Dependency<?> dependency : JavaConverters.seqAsJavaList(rdd.dependencies())) {
            if (dependency instanceof NarrowDependency<?> && partitionsCarryData(dependency.rdd())) {
                return true;
            }
        }
        return false;
    }

    private static int serializedSize(Partition partition) {
        return SparkEnv.get().closureSerializer().newInstance()
                .serialize(partition, ClassTag$.MODULE$.apply(Partition.class)).remaining();
    }

    public int workers() {
        return minibatchesPerPartition.length;
    }

    public long totalExamples() {
        long total = 0;
        for (long e : examplesPerPartition) {
            total += e;
        }
        return total;
    }

    public int totalMinibatches() {
        int total = 0;
        for (int m : minibatchesPerPartition) {
            total += m;
        }
        return total;
    }

    /** Rounds needed for every worker to fit every one of its minibatches once. */
    public int rounds(int averagingFrequency) {
        int longest = 0;
        for (int m : minibatchesPerPartition) {
            longest = Math.max(longest, m);
        }
        return (longest + averagingFrequency - 1) / averagingFrequency;
    }

    /** Per partition: {elements, examples}. */
    private static <T> long[][] count(JavaRDD<T> rdd, ExampleCount<T> examplesOf) {
        List<long[]> counts = rdd.mapPartitionsWithIndex((Integer partition, Iterator<T> it) -> {
            long elements = 0;
            long examples = 0;
            while (it.hasNext()) {
                examples += examplesOf.of(it.next());
                elements++;
            }
            return List.of(new long[] {partition, elements, examples}).iterator();
        }, true).collect();
        long[][] byPartition = new long[counts.size()][];
        for (long[] c : counts) {
            byPartition[(int) c[0]] = new long[] {c[1], c[2]};
        }
        return byPartition;
    }

    /**
     * The source's elements as bytes (not as DataSets: their off-heap arrays need a serializer that
     * knows ND4J) in {@code workers} partitions, each a run of whole source partitions in source order.
     * The key is the element's position: source partition in the high 32 bits, index within it in the low.
     */
    private static JavaRDD<byte[]> group(JavaRDD<DataSet> source, int workers) {
        int sourcePartitions = source.getNumPartitions();
        return source
                .mapPartitionsWithIndex((Integer partition, Iterator<DataSet> it) -> {
                    List<Tuple2<Long, byte[]>> positioned = new ArrayList<>();
                    long index = (long) partition << 32;
                    while (it.hasNext()) {
                        positioned.add(new Tuple2<>(index++, EncodedMinibatch.encode(it.next())));
                    }
                    return positioned.iterator();
                }, true)
                .mapToPair(t -> t)
                .repartitionAndSortWithinPartitions(new SourceGroups(workers, sourcePartitions))
                .values();
    }

    /**
     * Distributes an in-memory list of DataSets as the RDD to pass to every {@code fit}, in
     * {@code workers} contiguous slices of encoded bytes, as {@link BroadcastSlices}: not inside the
     * partitions, which every task of every round would carry.
     */
    public static JavaRDD<DataSet> distribute(JavaSparkContext sc, List<DataSet> dataSets, int workers) {
        int count = dataSets.size();
        List<List<byte[]>> slices = new ArrayList<>(workers);
        for (int p = 0; p < workers; p++) {
            List<byte[]> slice = new ArrayList<>();
            for (int i = BroadcastSlices.start(p, count, workers); i < BroadcastSlices.start(p + 1, count, workers); i++) {
                slice.add(EncodedMinibatch.encode(dataSets.get(i)));
            }
            slices.add(slice);
        }
        return BroadcastSlices.of(sc, slices).flatMap(slice -> slice.stream().map(EncodedMinibatch::decode).iterator());
    }

    /** How many examples one element holds. */
    @FunctionalInterface
    private interface ExampleCount<T> extends Serializable {
        long of(T element);
    }

    /** Source partition p of n goes to group floor(p * groups / n), by the high 32 bits of the key. */
    static final class SourceGroups extends Partitioner {

        private static final long serialVersionUID = 1L;

        private final int groups;
        private final int sourcePartitions;

        SourceGroups(int groups, int sourcePartitions) {
            this.groups = groups;
            this.sourcePartitions = sourcePartitions;
        }

        @Override
        public int numPartitions() {
            return groups;
        }

        @Override
        public int getPartition(Object key) {
            return (int) (((Long) key >>> 32) * groups / sourcePartitions);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SourceGroups g && g.groups == groups && g.sourcePartitions == sourcePartitions;
        }

        @Override
        public int hashCode() {
            return 31 * groups + sourcePartitions;
        }
    }
}
