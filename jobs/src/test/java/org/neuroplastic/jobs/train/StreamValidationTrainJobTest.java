package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A split stream with {@code data.validation_fraction}: after every epoch each task's validation split is
 * evaluated beside its test split, one {@code split = validation} row per task, over that task's validation rows.
 */
class StreamValidationTrainJobTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private static final String RUN = """
            data:
              format: synthetic
              generator: classification
              rows: 400
              partitions: 2
              seed: 4
              features: 6
              classes: 4
              test_fraction: 0.2
              validation_fraction: 0.25
              stream: {kind: split, classes_per_task: 2, scenario: task_incremental}
            network:
              n_in: 6
              hidden:
                - size: 8
                  activation: relu
              updater: {name: adam, learning_rate: 0.01}
              seed: 5
            training: {workers: 2, batch_size_per_worker: 32, averaging_frequency: 2, epochs: 1}
            """;

    @Test
    void everyEpochWritesEachTasksValidationRowBesideItsTestRow() {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/sv.yaml", RUN, List.of()));
        Path out = dir.resolve("run");
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(new ByteArrayOutputStream()));

        Dataset<Row> evaluations = SPARK.session().read().parquet(out.resolve("evaluations").toString());
        assertThat(evaluations.count()).as("2 epochs x 2 tasks x (test, validation)").isEqualTo(8);
        LoadedDataset plain = DatasetLoader.load(SPARK.session(), ((DataSource.Streamed) config.data()).source(), 6);
        for (int task = 0; task < 2; task++) {
            long validationRows = plain.validation().where(col(DatasetSchema.LABEL).divide(2).cast("int").equalTo(task))
                    .count();
            List<Row> validation = evaluations.where(col("split").equalTo("validation").and(col("task").equalTo(task)))
                    .orderBy("epoch").collectAsList();
            assertThat(validation).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2);
            assertThat(validation).extracting(r -> r.<Integer>getAs("trained_task")).containsExactly(0, 1);
            assertThat(validation).extracting(r -> r.<Long>getAs("examples")).containsOnly(validationRows);
            assertThat(validationRows).isPositive();
            assertThat(evaluations.where(col("split").equalTo("test").and(col("task").equalTo(task))).count())
                    .isEqualTo(2);
        }
    }
}
