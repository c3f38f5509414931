package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.nio.file.Files;
import java.nio.file.Path;
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
        GenerateConfig config = GenerateConfig.regression(1003, 3, 1, 0.0);
        List<DataSet> batches = Minibatches.of(SyntheticDataset.generate(SPARK.session(), config), 10,
                Target.regression(), 64).collect();
        assertThat(batches).allSatisfy(b -> assertThat(b.numExamples()).isBetween(1, 64));
        assertThat(batches.stream().mapToInt(DataSet::numExamples).sum()).isEqualTo(1003);
        assertThat(batches.get(0).getLabels().shape()).containsExactly(64, 1);
        assertThat(batches.get(0).getFeatures().shape()).containsExactly(64, 10);
    }

    @Test
    void driverParsedSplitsAreCutFromTheirSlicesIntoTheMinibatchesTheirRowsGive(@TempDir Path folder) throws Exception {
        // 2 partitions of ~100 rows, about a third held out: each partition's train and test rows end in a
        // partial minibatch of 8, which is where a different partitioning or order would show.
        StringBuilder csv = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 203; i++) {
            csv.append(i).append(',').append(i * 0.5f).append(',').append(-i / 3f).append(',').append(i % 3).append('\n');
        }
        Path file = Files.writeString(folder.resolve("rows.csv"), csv);
        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(file), null, "label",
                Target.classification(3), new DataSource.HoldOut(0.3, 11), false), NetworkConfig.INFERRED);
        assertThat(data.slices()).isNotNull();
        assertThat(data.slices().getNumPartitions()).isEqualTo(2);

        for (boolean test : new boolean[] {false, true}) {
            List<List<DataSet>> fromRows = Minibatches.of(test ? data.test() : data.train(), 3,
                    Target.classification(3), 8).glom().collect();
            assertSameMinibatches((test ? Minibatches.ofTest(data, 8) : Minibatches.ofTrain(data, 8)).glom().collect(),
                    fromRows, test ? data.testRows() : data.trainRows());
            assertThat(fromRows.get(0).get(fromRows.get(0).size() - 1).numExamples()).isLessThan(8);
        }
    }

    static void assertSameMinibatches(List<List<DataSet>> fromSlices, List<List<DataSet>> fromRows, long rows) {
        assertThat(fromSlices).hasSameSizeAs(fromRows);
        long examples = 0;
        for (int p = 0; p < fromRows.size(); p++) {
            assertThat(fromSlices.get(p)).hasSameSizeAs(fromRows.get(p));
            for (int b = 0; b < fromRows.get(p).size(); b++) {
                DataSet expected = fromRows.get(p).get(b);
                DataSet actual = fromSlices.get(p).get(b);
                assertThat(actual.getFeatures().toFloatMatrix()).isEqualTo(expected.getFeatures().toFloatMatrix());
                assertThat(actual.getLabels().toFloatMatrix()).isEqualTo(expected.getLabels().toFloatMatrix());
                examples += actual.numExamples();
            }
        }
        assertThat(examples).isEqualTo(rows);
    }
}
