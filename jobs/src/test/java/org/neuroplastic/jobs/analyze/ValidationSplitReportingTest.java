package org.neuroplastic.jobs.analyze;

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
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.train.TrainJob;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A run with a validation split evaluates it every epoch beside the test split, and every figure reported as a
 * test figure (the runs table's final metrics, the analysis' learning curves and trial summary) is the test
 * rows' alone; with a stream, each task's validation split beside its test split.
 */
class ValidationSplitReportingTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private static final String RUN = """
            data: {format: synthetic, generator: classification, rows: 600, partitions: 2, seed: 4, features: 6,
                   classes: 3, test_fraction: 0.2, validation_fraction: 0.3}
            network:
              n_in: 6
              hidden:
                - size: 8
                  activation: relu
              updater: {name: adam, learning_rate: 0.01}
              seed: 5
            training: {workers: 2, batch_size_per_worker: 32, averaging_frequency: 2, epochs: 2}
            """;

    @Test
    void validationRowsAreWrittenEveryEpochAndNeverMixIntoTestFigures() {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/v.yaml", RUN, List.of()));
        Path out = dir.resolve("run");
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(new ByteArrayOutputStream()));

        Dataset<Row> evaluations = SPARK.session().read().parquet(out.resolve("evaluations").toString());
        List<Row> test = evaluations.where(col("split").equalTo("test")).orderBy("epoch").collectAsList();
        List<Row> validation = evaluations.where(col("split").equalTo("validation")).orderBy("epoch").collectAsList();
        assertThat(test).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2);
        assertThat(validation).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2);
        assertThat(evaluations.count()).isEqualTo(4);
        long validationExamples = validation.get(0).getAs("examples");
        long testExamples = test.get(0).getAs("examples");
        assertThat(validationExamples).isPositive();
        assertThat((double) validationExamples / (600 - testExamples)).isBetween(0.22, 0.38);
        assertThat(validation.get(1).<Double>getAs("loss")).isNotEqualTo(test.get(1).<Double>getAs("loss"));

        Row run = SPARK.session().read().parquet(out.resolve("runs").toString()).first();
        assertThat(run.<Double>getAs("final_test_loss")).isEqualTo(test.get(1).<Double>getAs("loss"));
        assertThat(run.<Double>getAs("final_test_accuracy")).isEqualTo(test.get(1).<Double>getAs("accuracy"));

        AnalysisTables tables = AnalysisTables.of(SPARK.session(),
                AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(out)),
                Optional.of(SweepMetric.HELD_OUT_LOSS), 0.9);
        List<Row> curve = tables.learningCurves().orderBy("epoch").collectAsList();
        assertThat(curve).extracting(r -> r.<Double>getAs("test_loss"))
                .containsExactlyElementsOf(test.stream().map(r -> r.<Double>getAs("loss")).toList());
        assertThat(curve).extracting(r -> r.<Long>getAs("examples")).containsOnly(testExamples);
        Row summary = tables.trialSummary().first();
        assertThat(summary.<Double>getAs("final_test_loss")).isEqualTo(test.get(1).<Double>getAs("loss"));
        assertThat(summary.<Double>getAs("final_test_accuracy")).isEqualTo(test.get(1).<Double>getAs("accuracy"));
    }

    @Test
    void aStreamEvaluatesEachTasksValidationSplitAndTheContinualMeasuresReadThem() {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/v.yaml", RUN
                .replace("validation_fraction: 0.3}", "validation_fraction: 0.3,\n       stream: {kind: permuted, tasks: 2}}")
                .replace("epochs: 2", "epochs: 1"), List.of()));
        Path out = dir.resolve("stream");
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(new ByteArrayOutputStream()));

        Dataset<Row> evaluations = SPARK.session().read().parquet(out.resolve("evaluations").toString());
        assertThat(evaluations.count()).as("2 epochs x 2 tasks x (test, validation)").isEqualTo(8);
        long validationRows = DatasetLoader.load(SPARK.session(), ((DataSource.Streamed) config.data()).source(), 6)
                .validationRows();
        double[] last = new double[2];
        for (int task = 0; task < 2; task++) {
            List<Row> validation = evaluations.where(col("split").equalTo("validation").and(col("task").equalTo(task)))
                    .orderBy("epoch").collectAsList();
            assertThat(validation).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2);
            assertThat(validation).extracting(r -> r.<Integer>getAs("trained_task")).containsExactly(0, 1);
            assertThat(validation).as("a permuted task holds every validation row").extracting(r -> r.<Long>getAs("examples"))
                    .containsOnly(validationRows);
            last[task] = validation.get(1).getAs("accuracy");
        }
        Row metrics = AnalysisTables.of(SPARK.session(),
                AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(out)),
                Optional.of(SweepMetric.HELD_OUT_LOSS), 0.9).continual().orElseThrow().metrics().first();
        assertThat(metrics.<Double>getAs("validation_average_accuracy")).isCloseTo((last[0] + last[1]) / 2, within(1e-12));
    }
}
