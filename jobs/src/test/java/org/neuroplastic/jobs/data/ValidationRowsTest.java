package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationRowsTest {

    private static final int ANY = NetworkConfig.INFERRED;
    private static final int ROWS = 1000;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private DataSource.Csv csv(long splitSeed) throws IOException {
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < ROWS; i++) {
            text.append(i).append(',').append(i % 7).append(',').append(i % 3).append('\n');
        }
        Path file = Files.writeString(dir.resolve("rows.csv"), text);
        return new DataSource.Csv(LocalFiles.at(file), null, "label", Target.classification(3),
                new DataSource.HoldOut(0.2, splitSeed), false);
    }

    private static Set<Long> ids(LoadedDataset data, String split) {
        return data.rows().where(col(DatasetSchema.SPLIT).equalTo(split)).select(DatasetSchema.ROW_ID).collectAsList()
                .stream().map(r -> r.getLong(0)).collect(Collectors.toSet());
    }

    @Test
    void validationRowsAreTrainingRowsDrawnFromTheSeedDisjointFromTrainAndTest() throws IOException {
        DataSource.Csv source = csv(5);
        LoadedDataset plain = DatasetLoader.load(SPARK.session(), source, ANY);
        DataSource.ValidationSplit split = new DataSource.ValidationSplit(0.25, 5);
        LoadedDataset carved = DatasetLoader.load(SPARK.session(), new DataSource.Validated(source, split), ANY);

        Set<Long> train = ids(carved, DatasetSchema.TRAIN);
        Set<Long> validation = ids(carved, DatasetSchema.VALIDATION);
        Set<Long> test = ids(carved, DatasetSchema.TEST);
        Set<Long> expected = new HashSet<>();
        for (long id : ids(plain, DatasetSchema.TRAIN)) {
            if (RowRandom.uniform(5 ^ 0x2545F4914F6CDD1DL, id) < 0.25) {
                expected.add(id);
            }
        }
        assertThat(validation).isEqualTo(expected).isNotEmpty();
        assertThat(test).as("the test split is untouched").isEqualTo(ids(plain, DatasetSchema.TEST));
        assertThat(train).doesNotContainAnyElementsOf(validation).doesNotContainAnyElementsOf(test);
        assertThat(train.size() + validation.size()).as("the training rows shrink by the validation rows")
                .isEqualTo(plain.trainRows());
        assertThat((double) validation.size() / plain.trainRows()).isBetween(0.21, 0.29);
        assertThat(carved.trainRows()).isEqualTo(train.size());
        assertThat(carved.validationRows()).isEqualTo(validation.size());
        assertThat(carved.testRows()).isEqualTo(plain.testRows());
        assertThat(Minibatches.ofTrain(carved, 64).map(b -> b.numExamples()).reduce(Integer::sum)).isEqualTo(train.size());
        assertThat(Minibatches.ofValidation(carved, 64).map(b -> b.numExamples()).reduce(Integer::sum))
                .isEqualTo(validation.size());
        assertThat(Minibatches.ofTest(carved, 64).map(b -> b.numExamples()).reduce(Integer::sum)).isEqualTo(test.size());
    }

    @Test
    void theSplitDependsOnTheSeedAloneNotOnThePartitioning() throws IOException {
        DataSource.ValidationSplit split = new DataSource.ValidationSplit(0.3, 11);
        DataSource.Csv source = csv(11);
        Set<Long> oneRange = ids(ValidationRows.carve(FileDataset.load(SPARK.session(), source, ANY, Long.MAX_VALUE),
                split), DatasetSchema.VALIDATION);
        Set<Long> manyRanges = ids(ValidationRows.carve(FileDataset.load(SPARK.session(), source, ANY, 97), split),
                DatasetSchema.VALIDATION);
        assertThat(manyRanges).isEqualTo(oneRange);

        Set<Long> twoPartitions = ids(synthetic(2, split), DatasetSchema.VALIDATION);
        assertThat(ids(synthetic(5, split), DatasetSchema.VALIDATION)).isEqualTo(twoPartitions).isNotEmpty();
        assertThat(ids(synthetic(2, new DataSource.ValidationSplit(0.3, 12)), DatasetSchema.VALIDATION))
                .as("another seed").isNotEqualTo(twoPartitions);
    }

    private static LoadedDataset synthetic(int partitions, DataSource.ValidationSplit split) {
        GenerateConfig generator = new GenerateConfig(GenerateConfig.Generator.REGRESSION, 600, partitions, 1, 0.2, 0,
                10, 1.0, 120.0, 0, 0);
        return DatasetLoader.load(SPARK.session(),
                new DataSource.Validated(new DataSource.Synthetic(generator, false), split), ANY);
    }

    @Test
    void standardizationIsComputedOnTheRemainingTrainingRowsOnly() throws IOException {
        DataSource.Csv plain = csv(3);
        DataSource.Csv standardized = new DataSource.Csv(plain.path(), null, "label", plain.target(), plain.holdOut(),
                true);
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.Validated(standardized, new DataSource.ValidationSplit(0.4, 3)), ANY);

        List<Row> train = DatasetLoader.load(SPARK.session(), new DataSource.Validated(plain,
                new DataSource.ValidationSplit(0.4, 3)), ANY).train().collectAsList();
        double mean = train.stream().mapToDouble(r -> r.<Float>getList(1).get(0)).average().orElseThrow();
        assertThat(data.standardization().trainingRows()).isEqualTo(data.trainRows()).isEqualTo(train.size());
        assertThat(data.standardization().mean()[0]).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aFractionThatLeavesNoTrainingRowIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("one.csv"), "a,label\n1,0\n");
        DataSource.Csv source = new DataSource.Csv(LocalFiles.at(file), null, "label", Target.regression(),
                new DataSource.HoldOut(0, 0), false);
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.Validated(source, new DataSource.ValidationSplit(0.5, 0)), ANY))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.validation_fraction 0.5 leaves");
    }
}
