package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neuroplastic.jobs.LocalSpark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContiguousSlicesTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /** 0..99 in 5 partitions of 20, then thinned per partition so that their sizes are 20, 0, 7, 20, 1. */
    private static JavaRDD<Integer> unevenParent() {
        List<Integer> values = IntStream.range(0, 100).boxed().toList();
        return SPARK.context().parallelize(values, 5).mapPartitionsWithIndex((Integer p, Iterator<Integer> it) -> {
            List<Integer> kept = new ArrayList<>();
            int limit = new int[] {20, 0, 7, 20, 1}[p];
            while (it.hasNext() && kept.size() < limit) {
                kept.add(it.next());
            }
            return kept.iterator();
        }, true);
    }

    private static long[] sizes(JavaRDD<Integer> rdd) {
        return rdd.glom().collect().stream().mapToLong(List::size).toArray();
    }

    @Test
    void cutsTheParentsOrderIntoEqualContiguousSlicesAcrossPartitionBoundaries() {
        JavaRDD<Integer> parent = unevenParent();
        List<Integer> inOrder = parent.collect();
        JavaRDD<Integer> slices = ContiguousSlices.of(parent.rdd(), sizes(parent), 3, parent.classTag()).toJavaRDD();

        List<List<Integer>> cut = slices.glom().collect();
        // 48 elements, element i in slice floor(i * 3 / 48): 16 each; slice 0 ends inside partition 0
        // (20 elements) and slice 1 spans partitions 0, 2 and 3, skipping the empty partition 1.
        assertThat(cut).extracting(List::size).containsExactly(16, 16, 16);
        assertThat(cut.get(0)).isEqualTo(inOrder.subList(0, 16));
        assertThat(cut.get(1)).isEqualTo(inOrder.subList(16, 32));
        assertThat(cut.get(2)).isEqualTo(inOrder.subList(32, 48));
        assertThat(slices.rdd().dependencies().head().rdd()).isSameAs(parent.rdd());
    }

    @Test
    void slicesDifferInSizeByAtMostOneAndMayBeEmpty() {
        JavaRDD<Integer> parent = unevenParent();
        List<Integer> inOrder = parent.collect();
        List<List<Integer>> five = ContiguousSlices.of(parent.rdd(), sizes(parent), 5, parent.classTag())
                .toJavaRDD().glom().collect();
        // element i in slice floor(i * 5 / 48): slices start at ceil(s * 48 / 5) = 0, 10, 20, 29, 39
        assertThat(five).extracting(List::size).containsExactly(10, 10, 9, 10, 9);
        assertThat(five.stream().flatMap(List::stream).toList()).isEqualTo(inOrder);

        JavaRDD<Integer> three = SPARK.context().parallelize(List.of(7, 8), 1);
        assertThat(ContiguousSlices.of(three.rdd(), new long[] {2}, 3, three.classTag()).toJavaRDD().glom().collect())
                .containsExactly(List.of(7), List.of(8), List.of());
    }

    @Test
    void refusesAParentThatHoldsFewerElementsThanCounted() {
        JavaRDD<Integer> parent = unevenParent();
        long[] overcounted = {22, 0, 7, 20, 1};
        JavaRDD<Integer> slices = ContiguousSlices.of(parent.rdd(), overcounted, 2, parent.classTag()).toJavaRDD();
        assertThatThrownBy(slices::collect).hasMessageContaining("a parent partition holds fewer elements than counted");
    }
}
