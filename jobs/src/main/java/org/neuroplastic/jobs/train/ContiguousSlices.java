package org.neuroplastic.jobs.train;

import org.apache.spark.NarrowDependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The elements of a parent RDD in order (partition by partition, element by element), cut into
 * {@code slices} contiguous runs of equal size (within one): element i of n goes to slice
 * {@code floor(i * slices / n)}, which reads it from the parent partition that holds it. The
 * dependency is narrow, so no element is moved through a shuffle; in exchange, each slice carries the
 * partition objects of its parents, so the parent must be one whose partitions hold no data (a
 * shuffle's output), never parallelized driver data.
 */
final class ContiguousSlices<T> extends RDD<T> {

    private static final long serialVersionUID = 1L;

    private final RDD<T> parent;
    /** offsets[p] is the position of parent partition p's first element; the last entry is the total. */
    private final long[] offsets;
    private final int slices;

    private ContiguousSlices(RDD<T> parent, long[] offsets, int slices, ClassTag<T> elementType) {
        super(parent.context(), dependencies(parent, offsets, slices), elementType);
        this.parent = parent;
        this.offsets = offsets;
        this.slices = slices;
    }

    /**
     * @param elementsPerParent how many elements each parent partition holds, in partition order (a
     *                          counting job's result); the parent must produce them in the same order
     *                          every time it is computed
     */
    static <T> ContiguousSlices<T> of(RDD<T> parent, long[] elementsPerParent, int slices, ClassTag<T> elementType) {
        if (elementsPerParent.length != parent.getNumPartitions()) {
            throw new IllegalArgumentException("expected counts for " + parent.getNumPartitions()
                    + " parent partitions, found " + elementsPerParent.length);
        }
        long[] offsets = new long[elementsPerParent.length + 1];
        for (int p = 0; p < elementsPerParent.length; p++) {
            offsets[p + 1] = offsets[p] + elementsPerParent[p];
        }
        return new ContiguousSlices<>(parent, offsets, slices, elementType);
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] parents = parent.partitions();
        Partition[] partitions = new Partition[slices];
        for (int s = 0; s < slices; s++) {
            long start = bound(offsets, s, slices);
            long end = bound(offsets, s + 1, slices);
            List<Partition> holding = new ArrayList<>();
            List<Long> holdingOffsets = new ArrayList<>();
            for (int p : parentsOf(offsets, start, end)) {
                holding.add(parents[p]);
                holdingOffsets.add(offsets[p]);
            }
            partitions[s] = new Slice(s, start, end, holding.toArray(new Partition[0]),
                    holdingOffsets.stream().mapToLong(Long::longValue).toArray());
        }
        return partitions;
    }

    @Override
    public scala.collection.Iterator<T> compute(Partition split, TaskContext context) {
        Slice slice = (Slice) split;
        java.util.Iterator<T> elements = new java.util.Iterator<>() {
            private int parentIndex = -1;
            private scala.collection.Iterator<T> current;
            private long position = slice.start;

            @Override
            public boolean hasNext() {
                while (position < slice.end && (current == null || !current.hasNext())) {
                    if (parentIndex + 1 == slice.parents.length
                            || current != null && position != slice.parentOffsets[parentIndex + 1]) {
                        throw new IllegalStateException("slice " + slice.index + " of " + slices
                                + ": a parent partition holds fewer elements than counted (element " + position
                                + "); the parent must give the same elements every time it is computed");
                    }
                    parentIndex++;
                    current = parent.iterator(slice.parents[parentIndex], context);
                    position = slice.parentOffsets[parentIndex];
                    for (; position < slice.start && current.hasNext(); position++) {
                        current.next();
                    }
                }
                return position < slice.end;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                position++;
                return current.next();
            }
        };
        return JavaConverters.asScalaIterator(elements);
    }

    /** The position of slice {@code slice}'s first element: element i of n is in slice floor(i * slices / n). */
    private static long bound(long[] offsets, int slice, int slices) {
        long total = offsets[offsets.length - 1];
        return (total * slice + slices - 1) / slices;
    }

    /** The parent partitions holding any element in [start, end). */
    private static List<Integer> parentsOf(long[] offsets, long start, long end) {
        List<Integer> parents = new ArrayList<>();
        for (int p = 0; p + 1 < offsets.length; p++) {
            if (offsets[p] < end && offsets[p + 1] > start) {
                parents.add(p);
            }
        }
        return parents;
    }

    private static <T> Seq<org.apache.spark.Dependency<?>> dependencies(RDD<T> parent, long[] offsets, int slices) {
        List<org.apache.spark.Dependency<?>> dependencies = List.of(new SliceParents<>(parent, offsets, slices));
        return JavaConverters.asScalaBuffer(dependencies).toSeq();
    }

    /** Which parent partitions each slice reads. */
    private static final class SliceParents<T> extends NarrowDependency<T> {

        private static final long serialVersionUID = 1L;

        private final long[] offsets;
        private final int slices;

        SliceParents(RDD<T> parent, long[] offsets, int slices) {
            super(parent);
            this.offsets = offsets;
            this.slices = slices;
        }

        @Override
        public scala.collection.immutable.List<Object> getParents(int partitionId) {
            List<Object> parents = new ArrayList<>(parentsOf(offsets, bound(offsets, partitionId, slices),
                    bound(offsets, partitionId + 1, slices)));
            return JavaConverters.asScalaBuffer(parents).toList();
        }
    }

    /** Slice {@code index}: elements [start, end) of the parent, held by {@code parents}, which start at {@code parentOffsets}. */
    private record Slice(int index, long start, long end, Partition[] parents, long[] parentOffsets) implements Partition {

        @Override
        public int hashCode() {
            return index;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Slice s && s.index == index;
        }
    }
}
