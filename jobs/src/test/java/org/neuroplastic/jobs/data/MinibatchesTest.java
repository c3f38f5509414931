package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.LocalSpark;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.config.Target;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MinibatchesTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @Test
    void classificationLabelsBecomeOneHotRows() {
        List<Row> rows = List.of(
                DatasetSchemaRows.row(0, new float[] {1, 2}, 2),
                DatasetSchemaRows.row(1, new float[] {3, 4}, 0));
        List<DataSet> batches = Minibatches.of(SPARK.session().createDataFrame(rows, DatasetSchema.SCHEMA).coalesce(1),
                2, Target.classification(3), 10).collect();
        assertThat(batches).hasSize(1);
        DataSet data = batches.get(0);
        assertThat(data.getFeatures().toFloatMatrix()).isEqualTo(new float[][] {{1, 2}, {3, 4}});
        assertThat(data.getLabels().toFloatMatrix()).isEqualTo(new float[][] {{0, 0, 1}, {1, 0, 0}});
    }

    @Test
    void everyRowLandsInExactlyOneBatchOfAtMostTheBatchSize() {
        GenerateConfig config = new GenerateConfig(GenerateConfig.Generator.REGRESSION, 1003, 3, 1, 0.0, 0, 10, 1.0,
                120.0, 0, 0);
        List<DataSet> batches = Minibatches.of(SyntheticDataset.generate(SPARK.session(), config), 10,
                Target.regression(), 64).collect();
        assertThat(batches).allSatisfy(b -> assertThat(b.numExamples()).isBetween(1, 64));
        assertThat(batches.stream().mapToInt(DataSet::numExamples).sum()).isEqualTo(1003);
        assertThat(batches.get(0).getLabels().shape()).containsExactly(64, 1);
        assertThat(batches.get(0).getFeatures().shape()).containsExactly(64, 10);
    }
}
