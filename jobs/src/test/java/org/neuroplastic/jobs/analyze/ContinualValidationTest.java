package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The continual measures on the validation split, worked out by hand.
 *
 * <pre>
 * run v: 2 tasks, 2 epochs each (task t trains epochs 2t+1, 2t+2); at each task's last epoch
 *   test R:        validation V:
 *   0.90 0.20      0.80 0.30
 *   0.60 0.80      0.60 0.70
 *   and 0.01 on both splits at epochs 1 and 3.
 *   test:       ACC (0.60 + 0.80)/2 = 0.70, BWT 0.60 - 0.90 = -0.30, F 0.90 - 0.60 = 0.30
 *   validation: ACC (0.60 + 0.70)/2 = 0.65, BWT 0.60 - 0.80 = -0.20, F 0.80 - 0.60 = 0.20
 * run t: the same test rows, no validation row.
 * </pre>
 */
class ContinualValidationTest {

    private static final double EPS = 1e-9;
    private static final double[][] TEST = {{0.90, 0.20}, {0.60, 0.80}};
    private static final double[][] VALIDATION = {{0.80, 0.30}, {0.60, 0.70}};

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path out;

    @BeforeAll
    static void analyse() throws IOException {
        Path in = dir.resolve("runs");
        List<Row> evaluations = new ArrayList<>();
        for (int epoch = 1; epoch <= 4; epoch++) {
            int trained = (epoch - 1) / 2;
            boolean taskEnd = epoch % 2 == 0;
            for (int task = 0; task < 2; task++) {
                double test = taskEnd ? TEST[trained][task] : 0.01;
                evaluations.add(ContinualFixture.evaluation("v", epoch, task, "test", test, trained));
                evaluations.add(ContinualFixture.evaluation("t", epoch, task, "test", test, trained));
                evaluations.add(ContinualFixture.evaluation("v", epoch, task, "validation",
                        taskEnd ? VALIDATION[trained][task] : 0.01, trained));
            }
        }
        ContinualFixture.append(SPARK.session(), evaluations, ResultWriter.EVALUATIONS_SCHEMA,
                in.resolve(ResultWriter.EVALUATIONS));
        ContinualFixture.append(SPARK.session(), List.of(ContinualFixture.run("v", "completed", 4),
                ContinualFixture.run("t", "completed", 4)), ResultWriter.RUNS_SCHEMA, in.resolve(ResultWriter.RUNS));
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(in));
        out = Files.createDirectories(dir.resolve("analysis"));
        AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9), SPARK.session(),
                LocalFiles.at(out));
    }

    private static Map<String, Row> byRun(String table) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(out.resolve(table).toString()).collectAsList()) {
            String key = row.getAs("run_id");
            if (row.schema().getFieldIndex("trained_task").isDefined()) {
                key += "/" + row.getAs("trained_task") + "/" + row.getAs("task");
            }
            rows.put(key, row);
        }
        return rows;
    }

    private static double number(Row row, String column) {
        return ((Number) row.getAs(column)).doubleValue();
    }

    @Test
    void theValidationMeasuresAreThoseOfTheValidationMatrixAndTheTestOnesUnchanged() {
        Map<String, Row> metrics = byRun(ContinualTables.CONTINUAL_METRICS);
        Row v = metrics.get("v");
        assertThat(number(v, "validation_average_accuracy")).isCloseTo(0.65, within(EPS));
        assertThat(number(v, "validation_backward_transfer")).isCloseTo(-0.20, within(EPS));
        assertThat(number(v, "validation_average_forgetting")).isCloseTo(0.20, within(EPS));
        assertThat(number(v, "average_accuracy")).isCloseTo(0.70, within(EPS));
        assertThat(number(v, "backward_transfer")).isCloseTo(-0.30, within(EPS));
        assertThat(number(v, "average_forgetting")).isCloseTo(0.30, within(EPS));
        assertThat(v.<Integer>getAs("missing_cells")).as("the test matrix's").isZero();

        Row t = metrics.get("t");
        assertThat(number(t, "average_accuracy")).isCloseTo(0.70, within(EPS));
        for (String column : List.of("validation_average_accuracy", "validation_backward_transfer",
                "validation_average_forgetting")) {
            assertThat(t.isNullAt(t.fieldIndex(column))).as("run t: %s", column).isTrue();
        }
    }

    @Test
    void theMatrixHoldsEachTasksLastEpochOnBothSplits() {
        Map<String, Row> cells = byRun(ContinualTables.ACCURACY_MATRIX);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                Row cell = cells.get("v/" + i + "/" + j);
                assertThat(number(cell, "test_accuracy")).isCloseTo(TEST[i][j], within(EPS));
                assertThat(number(cell, "validation_accuracy")).isCloseTo(VALIDATION[i][j], within(EPS));
                assertThat(number(cell, "validation_loss")).isCloseTo(1 - VALIDATION[i][j], within(EPS));
                assertThat(cell.<Long>getAs("validation_examples")).isEqualTo(100L);
                Row plain = cells.get("t/" + i + "/" + j);
                assertThat(plain.isNullAt(plain.fieldIndex("validation_accuracy"))).isTrue();
            }
        }
    }
}
