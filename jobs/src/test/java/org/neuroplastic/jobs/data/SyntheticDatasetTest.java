package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticDatasetTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static GenerateConfig regression(long rows, int partitions, long seed, double testFraction) {
        return GenerateConfig.regression(rows, partitions, seed, testFraction);
    }

    private static List<Row> sorted(Dataset<Row> rows) {
        return rows.orderBy(col(DatasetSchema.ROW_ID)).collectAsList();
    }

    private static void assertSameRows(List<Row> a, List<Row> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).getLong(0)).isEqualTo(b.get(i).getLong(0));
            assertThat(a.get(i).getList(1)).isEqualTo(b.get(i).getList(1));
            assertThat(a.get(i).getDouble(2)).isEqualTo(b.get(i).getDouble(2));
            assertThat(a.get(i).getString(3)).isEqualTo(b.get(i).getString(3));
        }
    }

    @Test
    void sameSeedGivesTheSameRowsWhateverThePartitionCount() {
        List<Row> one = sorted(SyntheticDataset.generate(SPARK.session(), regression(3000, 1, 11, 0.2)));
        List<Row> seven = sorted(SyntheticDataset.generate(SPARK.session(), regression(3000, 7, 11, 0.2)));
        assertSameRows(one, seven);
        GenerateConfig classification = GenerateConfig.classification(2000, 1, 5, 0.3).withTask(2)
                .withFeatures(4);
        assertSameRows(sorted(SyntheticDataset.generate(SPARK.session(), classification)),
                sorted(SyntheticDataset.generate(SPARK.session(), GenerateConfig.classification(2000, 5, 5, 0.3)
                        .withTask(2).withFeatures(4))));
    }

    @Test
    void differentSeedsGiveDifferentRows() {
        Row a = sorted(SyntheticDataset.generate(SPARK.session(), regression(10, 1, 1, 0.2))).get(0);
        Row b = sorted(SyntheticDataset.generate(SPARK.session(), regression(10, 1, 2, 0.2))).get(0);
        assertThat(a.getList(1)).isNotEqualTo(b.getList(1));
    }

    @Test
    void sizeAndTestFractionFollowTheConfiguration() {
        Dataset<Row> rows = SyntheticDataset.generate(SPARK.session(), regression(20_000, 4, 3, 0.25));
        assertThat(rows.count()).isEqualTo(20_000);
        assertThat(rows.select(DatasetSchema.ROW_ID).distinct().count()).isEqualTo(20_000);
        double testShare = rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TEST)).count() / 20_000.0;
        assertThat(testShare).isCloseTo(0.25, within(0.015));
        assertThat(rows.where(col(DatasetSchema.SPLIT).notEqual(DatasetSchema.TEST)
                .and(col(DatasetSchema.SPLIT).notEqual(DatasetSchema.TRAIN))).count()).isZero();
        assertThat(SyntheticDataset.generate(SPARK.session(), regression(1000, 3, 3, 0.0))
                .where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TEST)).count()).isZero();
    }

    @Test
    void regressionTargetHasTheReferencesScale() {
        Row stats = SyntheticDataset.generate(SPARK.session(), regression(40_000, 4, 42, 0.2))
                .selectExpr("avg(label * label)", "avg(features[0])", "avg(features[3] * features[3])", "min(size(features))",
                        "max(size(features))")
                .first();
        // A zero predictor's MSE is E[y^2] = |w|^2 + noise^2 = 121.
        assertThat(stats.getDouble(0)).isCloseTo(121.0, within(3.0));
        assertThat(stats.getDouble(1)).isCloseTo(0.0, within(0.03));
        assertThat(stats.getDouble(2)).isCloseTo(1.0, within(0.03));
        assertThat(stats.getInt(3)).isEqualTo(10);
        assertThat(stats.getInt(4)).isEqualTo(10);
    }

    @Test
    void classificationLabelsAreEveryClassIndex() {
        GenerateConfig config = GenerateConfig.classification(5000, 3, 9, 0.2).withTask(1).withFeatures(6)
                .withClasses(5);
        List<Row> labels = SyntheticDataset.generate(SPARK.session(), config).groupBy(DatasetSchema.LABEL).count()
                .orderBy(DatasetSchema.LABEL).collectAsList();
        assertThat(labels).extracting(r -> r.getDouble(0)).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(labels).allSatisfy(r -> assertThat(r.getLong(1)).isBetween(850L, 1150L));
        assertThat(SyntheticDataset.generate(SPARK.session(), config).where(col(DatasetSchema.TASK).notEqual(1)).count()).isZero();
    }

    @Test
    void generateJobWritesParquetInTheDatasetSchema(@TempDir Path out) {
        GenerateJob.Summary summary = GenerateJob.run(regression(2000, 3, 4, 0.2), SPARK.session(), LocalFiles.at(out));
        assertThat(summary.trainRows() + summary.testRows()).isEqualTo(2000);
        Dataset<Row> written = SPARK.session().read().parquet(out.resolve(GenerateJob.DATASET).toString());
        assertThat(Arrays.stream(written.schema().fields()).map(f -> f.name() + ":" + f.dataType().simpleString()))
                .containsExactlyElementsOf(Arrays.stream(DatasetSchema.SCHEMA.fields())
                        .map((StructField f) -> f.name() + ":" + f.dataType().simpleString()).toList());
        assertSameRows(sorted(written),
                sorted(SyntheticDataset.generate(SPARK.session(), regression(2000, 1, 4, 0.2))));
    }
}
