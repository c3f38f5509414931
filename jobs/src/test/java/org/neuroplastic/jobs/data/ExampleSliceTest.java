package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neuroplastic.jobs.LocalSpark;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ExampleSliceTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @Test
    void slicesEndWhereParallelizeEndsTheSameRowsSoPartitionsStayAsTheyWere() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext());
        for (int[] shape : new int[][] {{203, 2}, {70_000, 55}, {10, 10}, {7, 3}, {3, 4}}) {
            int n = shape[0];
            int slices = shape[1];
            List<Integer> ids = IntStream.range(0, n).boxed().toList();
            List<List<Integer>> parallelized = sc.parallelize(ids, slices).glom().collect();
            ExampleSlice.Boundaries boundaries = new ExampleSlice.Boundaries(n, slices);
            List<List<Integer>> sliced = new ArrayList<>();
            for (int s = 0; s < slices; s++) {
                sliced.add(new ArrayList<>());
                assertThat(boundaries.start(s)).isEqualTo(BroadcastSlices.start(s, n, slices));
            }
            for (int rowId = 0; rowId < n; rowId++) {
                sliced.get(boundaries.getPartition((long) rowId)).add(rowId);
            }
            assertThat(sliced).as("%d rows in %d slices", n, slices).isEqualTo(parallelized);
        }
    }

    @Test
    void rowsCarryTheirIdLabelSplitAndTheSharedFeatureArray() {
        float[][] features = {{1, 2}, {3, 4}, {5, 6}};
        ExampleSlice.Boundaries boundaries = new ExampleSlice.Boundaries(3, 2);
        List<ExampleSlice> cut = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            List<Tuple2<Long, Example>> rows = new ArrayList<>();
            for (long rowId = boundaries.start(s); rowId < boundaries.start(s + 1); rowId++) {
                rows.add(new Tuple2<>(rowId, new Example(features[(int) rowId], rowId)));
            }
            cut.add(ExampleSlice.of(boundaries, s, rows.iterator(), rowId -> rowId == 1));
        }
        List<Row> rows = new ArrayList<>();
        cut.forEach(slice -> slice.rows().forEachRemaining(rows::add));
        assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(0L, 1L, 2L);
        assertThat(rows).extracting(r -> r.getDouble(2)).containsExactly(0.0, 1.0, 2.0);
        assertThat(rows).extracting(r -> r.getString(3)).containsExactly("train", "test", "train");
        assertThat(rows).extracting(r -> r.getInt(4)).containsExactly(0, 0, 0);
        assertThat(rows.get(2).get(1)).isSameAs(features[2]);
        assertThat(cut.get(1).examples(DatasetSchema.TRAIN)).extracting(Minibatches.LabeledFeatures::getRowId).containsExactly(2L);
        assertThat(cut.get(0).examples(DatasetSchema.TEST)).extracting(Minibatches.LabeledFeatures::getRowId).isEmpty();
        assertThat(cut.get(1).examples(DatasetSchema.TEST)).extracting(Minibatches.LabeledFeatures::getRowId).containsExactly(1L);
    }
}
