package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The continual-learning analysis of {@link ContinualFixture}'s results, checked against values worked out by hand. */
class ContinualAnalysisTest {

    private static final double EPS = 1e-9;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path out;
    private static AnalysisSummary summary;

    @BeforeAll
    static void analyseTheFixture() throws IOException {
        Path in = dir.resolve("continual");
        ContinualFixture.write(SPARK.session(), in);
        out = Files.createDirectories(dir.resolve("continual-analysis"));
        summary = AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(in), 0.9), SPARK.session(), LocalFiles.at(out));
    }

    /** The rows of a written table keyed by the values of {@code keys}, joined with "/". */
    private static Map<String, Row> byKey(String table, String... keys) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(out.resolve(table).toString()).collectAsList()) {
            StringBuilder key = new StringBuilder();
            for (String column : keys) {
                key.append(key.isEmpty() ? "" : "/").append((Object) row.getAs(column));
            }
            rows.put(key.toString(), row);
        }
        return rows;
    }

    private static double number(Row row, String column) {
        return ((Number) row.getAs(column)).doubleValue();
    }

    private static boolean isNull(Row row, String column) {
        return row.isNullAt(row.fieldIndex(column));
    }

    @Test
    void theMatrixTakesEachTasksLastEpochAndHeldOutRowsOnly() {
        Map<String, Row> cells = byKey(ContinualTables.ACCURACY_MATRIX, "run_id", "trained_task", "task");
        assertThat(cells.keySet().stream().filter(k -> k.startsWith("s/"))).hasSize(9);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                Row cell = cells.get("s/" + i + "/" + j);
                assertThat(number(cell, "test_accuracy")).as("R[%d][%d]", i, j).isCloseTo(ContinualFixture.S_MATRIX[i][j], within(EPS));
                assertThat(number(cell, "test_loss")).isCloseTo(1 - ContinualFixture.S_MATRIX[i][j], within(EPS));
                assertThat((int) cell.getAs("epoch")).as("last epoch of task %d", i).isEqualTo(2 * i + 2);
                assertThat((long) cell.getAs("examples")).isEqualTo(100);
            }
        }
        assertThat(cells.keySet()).noneMatch(k -> k.startsWith("one/"));
    }

    @Test
    void aMissingEvaluationIsAnEmptyCellAndEmptiesTheMetricsThatReadIt() {
        Map<String, Row> cells = byKey(ContinualTables.ACCURACY_MATRIX, "run_id", "trained_task", "task");
        Row gap = cells.get("m/2/1");
        assertThat((int) gap.getAs("epoch")).isEqualTo(3);
        assertThat(isNull(gap, "test_accuracy")).isTrue();
        assertThat(isNull(gap, "examples")).isTrue();
        assertThat(isNull(cells.get("f/2/0"), "epoch")).as("task 2 of the failed run never trained").isTrue();

        Map<String, Row> metrics = byKey(ContinualTables.CONTINUAL_METRICS, "run_id");
        Row m = metrics.get("m");
        assertThat((int) m.getAs("missing_cells")).isEqualTo(1);
        assertThat((String) m.getAs("status")).isEqualTo("unfinished");
        assertThat(isNull(m, "average_accuracy")).isTrue();
        assertThat(isNull(m, "backward_transfer")).isTrue();
        assertThat(isNull(m, "average_forgetting")).isTrue();
        Row f = metrics.get("f");
        assertThat((String) f.getAs("status")).isEqualTo("failed");
        assertThat((int) f.getAs("tasks")).isEqualTo(3);
        assertThat((int) f.getAs("tasks_trained")).isEqualTo(2);
        assertThat((int) f.getAs("missing_cells")).isEqualTo(3);
        assertThat(isNull(f, "average_accuracy")).isTrue();

        Map<String, Row> tasks = byKey(ContinualTables.TASK_FORGETTING, "run_id", "task");
        // m: f_0 = max(0.9, 0.8) - 0.7; f_1 reads the missing R[2][1].
        assertThat(number(tasks.get("m/0"), "forgetting")).isCloseTo(0.2, within(EPS));
        assertThat(isNull(tasks.get("m/1"), "forgetting")).isTrue();
        assertThat(isNull(tasks.get("m/0"), "later_turnover")).as("no trajectories").isTrue();
    }

    @Test
    void metricsOfACompleteStreamAreTheHandComputedOnes() {
        Row s = byKey(ContinualTables.CONTINUAL_METRICS, "run_id").get("s");
        assertThat((String) s.getAs("status")).isEqualTo("completed");
        assertThat((int) s.getAs("tasks")).isEqualTo(3);
        assertThat((int) s.getAs("tasks_trained")).isEqualTo(3);
        assertThat((int) s.getAs("missing_cells")).isZero();
        assertThat(number(s, "average_accuracy")).isCloseTo(2.15 / 3, within(EPS));
        assertThat(number(s, "backward_transfer")).isCloseTo(-0.25, within(EPS));
        assertThat(number(s, "average_forgetting")).isCloseTo(0.275, within(EPS));
        assertThat(byKey(ContinualTables.CONTINUAL_METRICS, "run_id")).containsOnlyKeys("s", "m", "f");
    }

    @Test
    void plasticityPerTaskComesFromTheTasksAveragedRows() {
        Map<String, Row> rows = byKey(ContinualTables.TASK_PLASTICITY, "run_id", "task", "layer");
        assertThat(rows).containsOnlyKeys("s/0/0", "s/1/0", "s/2/0", "s/0/1", "s/1/1", "s/2/1");
        Row first = rows.get("s/0/0");
        assertThat((int) first.getAs("rounds")).isEqualTo(2);
        assertThat((long) first.getAs("steps")).isEqualTo(20);
        assertThat((long) first.getAs("turnover")).as("2 * (5 + 5)").isEqualTo(20);
        assertThat(number(first, "turnover_per_step")).isCloseTo(1.0, within(EPS));
        assertThat(number(first, "hebbian_norm")).as("at the task's last step").isEqualTo(2.0);
        assertThat(number(first, "scaling_mean")).as("mean of 1.0 and 1.2").isCloseTo(1.1, within(EPS));
        assertThat(number(first, "weight_norm")).isEqualTo(10.0);
        assertThat(isNull(first, "weight_norm_change")).as("no earlier task").isTrue();
        Row second = rows.get("s/1/0");
        assertThat((long) second.getAs("steps")).as("40 - 20").isEqualTo(20);
        assertThat((long) second.getAs("last_step")).isEqualTo(40);
        assertThat((long) second.getAs("turnover")).isEqualTo(8);
        assertThat(number(second, "turnover_per_step")).isCloseTo(0.4, within(EPS));
        assertThat(number(second, "hebbian_norm")).isEqualTo(4.0);
        assertThat(number(second, "scaling_mean")).isCloseTo(0.9, within(EPS));
        assertThat(number(second, "weight_norm_change")).as("12 - 10").isCloseTo(2.0, within(EPS));
        assertThat(number(rows.get("s/2/0"), "weight_norm_change")).isCloseTo(3.0, within(EPS));
        Row output = rows.get("s/1/1");
        assertThat(isNull(output, "turnover")).isTrue();
        assertThat(isNull(output, "hebbian_norm")).isTrue();
        assertThat(number(output, "weight_norm_change")).isCloseTo(1.0, within(EPS));
    }

    @Test
    void eachTasksForgettingSitsBesideThePlasticityOfTheLaterTasks() {
        Map<String, Row> tasks = byKey(ContinualTables.TASK_FORGETTING, "run_id", "task");
        Row first = tasks.get("s/0");
        assertThat(number(first, "accuracy_after_training")).isCloseTo(0.90, within(EPS));
        assertThat(number(first, "best_accuracy")).isCloseTo(0.95, within(EPS));
        assertThat(number(first, "final_accuracy")).isCloseTo(0.50, within(EPS));
        assertThat(number(first, "forgetting")).isCloseTo(0.45, within(EPS));
        assertThat(number(first, "backward_transfer")).isCloseTo(-0.40, within(EPS));
        assertThat((int) first.getAs("later_tasks")).isEqualTo(2);
        assertThat((long) first.getAs("later_steps")).isEqualTo(40);
        assertThat((long) first.getAs("later_turnover")).as("8 + 8 while tasks 1 and 2 trained").isEqualTo(16);
        assertThat(number(first, "later_turnover_per_step")).isCloseTo(0.4, within(EPS));
        assertThat(number(first, "later_hebbian_norm")).as("mean of 4 and 6").isCloseTo(5.0, within(EPS));
        // Layer 0: |15 - 10| / 10 = 0.5; layer 1: |5 - 4| / 4 = 0.25.
        assertThat(number(first, "later_weight_norm_change")).isCloseTo(0.375, within(EPS));
        Row second = tasks.get("s/1");
        assertThat(number(second, "forgetting")).isCloseTo(0.10, within(EPS));
        assertThat((long) second.getAs("later_turnover")).isEqualTo(8);
        assertThat(number(second, "later_hebbian_norm")).isCloseTo(6.0, within(EPS));
        // Layer 0: |15 - 12| / 12; layer 1: |5 - 5| / 5.
        assertThat(number(second, "later_weight_norm_change")).isCloseTo(0.125, within(EPS));
        Row last = tasks.get("s/2");
        assertThat(number(last, "accuracy_after_training")).isCloseTo(0.95, within(EPS));
        assertThat(isNull(last, "forgetting")).isTrue();
        assertThat(isNull(last, "later_tasks")).isTrue();
    }

    @Test
    void theReportExplainsTheMetricsAndShowsTheContinualPlotsAndTables() throws IOException {
        String html = Files.readString(out.resolve(AnalyzeJob.REPORT));
        assertThat(html).contains("<h2>Continual learning</h2>", "average accuracy", "backward transfer", "average forgetting",
                "Lopez-Paz and Ranzato 2017", "Chaudhry et al. 2018", "Forward transfer (GEM's FWT) is not computed",
                "<h2>continual_metrics</h2>", "<h2>task_forgetting</h2>", "<h2>accuracy_matrix</h2>", "<h2>task_plasticity</h2>");
        List<String> plots;
        try (Stream<Path> files = Files.list(out.resolve(AnalysisCharts.FOLDER))) {
            plots = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(plots).contains("accuracy_matrix.png", "task_accuracy.png", "forgetting_vs_turnover.png");
        assertThat(html).contains("Accuracy matrix R, run s", "Held-out accuracy of each task per epoch, run s");
        assertThat(summary.plots()).isEqualTo(plots.size());
    }

    @Test
    void theChartsMarkTaskBoundariesNameTheSeedsAndLeaveOutWhatDoesNotVary() throws IOException {
        String html = Files.readString(out.resolve(AnalyzeJob.REPORT));
        // Run s trains task t over epochs 2t+1 and 2t+2, and over steps 10(2t+1) and 10(2t+2).
        assertThat(html).contains("Held-out accuracy of each task per epoch, run s \u2014 1 seed",
                "Accuracy matrix R, run s \u2014 1 seed", "Dashed vertical lines: task boundaries at epoch 2.5, 4.5.",
                "Dashed vertical lines: task boundaries at step 25, 45. Left out: mask_density (constant at 0.5 in every "
                        + "run drawn); activity_mean (no values in any run drawn); threshold_mean (no values in any run drawn).",
                "plasticity_layer_1.png not drawn: layer 1 records no plasticity in any run drawn.",
                "Colour scale: pale at accuracy 0",
                // Runs m and f train a task per epoch, s every two: the best-ranked run's boundaries are drawn, named.
                "Held-out loss per epoch, the 4 best-ranked runs \u2014 1 seed each",
                "Dashed vertical lines: task boundaries of run m (other runs drawn switch task elsewhere) at epoch 1.5, 2.5.");
        assertThat(out.resolve(AnalysisCharts.FOLDER).resolve("plasticity_layer_0.png")).exists();
        assertThat(out.resolve(AnalysisCharts.FOLDER).resolve("plasticity_layer_1.png")).doesNotExist();
    }

    @Test
    void everyContinualTableIsWrittenAsParquetAndAsOneCsvWithTheSameRows() throws IOException {
        for (String table : List.of(ContinualTables.ACCURACY_MATRIX, ContinualTables.CONTINUAL_METRICS,
                ContinualTables.TASK_FORGETTING, ContinualTables.TASK_PLASTICITY)) {
            List<String> csv = Files.readAllLines(out.resolve(table + ".csv"));
            String[] parquetColumns = SPARK.session().read().parquet(out.resolve(table).toString()).columns();
            assertThat(csv.get(0).split(",")).as(table).containsExactly(parquetColumns);
            assertThat((long) csv.size() - 1).as(table).isEqualTo(SPARK.session().read().parquet(out.resolve(table).toString()).count());
        }
        assertThat(Files.readAllLines(out.resolve(ContinualTables.ACCURACY_MATRIX + ".csv")))
                .as("run, no trial, trained 1, evaluated 0, epoch 4, accuracy 0.95").anyMatch(line -> line.startsWith("s,,1,0,4,0.95"));
    }

    @Test
    void everyContinualTableHasTheColumnsAndTypesDocsSchemaStates() throws IOException {
        String schema = Files.readString(Path.of("..", "docs", "SCHEMA.md"));
        for (String table : List.of(ContinualTables.ACCURACY_MATRIX, ContinualTables.CONTINUAL_METRICS,
                ContinualTables.TASK_FORGETTING, ContinualTables.TASK_PLASTICITY)) {
            int start = schema.indexOf("\n### " + table + "\n");
            assertThat(start).as(table + " in docs/SCHEMA.md").isNotNegative();
            int end = schema.indexOf("\n#", start + 1);
            Map<String, String> documented = new LinkedHashMap<>();
            Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([a-z]+) \\|").matcher(schema.substring(start, end));
            while (row.find()) {
                documented.put(row.group(1), "long".equals(row.group(2)) ? "bigint" : row.group(2));
            }
            Map<String, String> written = new LinkedHashMap<>();
            for (StructField field : SPARK.session().read().parquet(out.resolve(table).toString()).schema().fields()) {
                written.put(field.name(), field.dataType().simpleString());
            }
            assertThat(written).as(table).containsExactlyEntriesOf(documented);
        }
    }

    @Test
    void singleTaskRunsGetNoContinualTablesOrPlots() throws IOException {
        // Its run c evaluates tasks 0 and 1 but trains only task 0.
        Path in = dir.resolve("single");
        AnalysisFixture.write(SPARK.session(), in, false);
        Path single = Files.createDirectories(dir.resolve("single-analysis"));
        AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(in), 0.9), SPARK.session(), LocalFiles.at(single));
        for (String table : List.of(ContinualTables.ACCURACY_MATRIX, ContinualTables.CONTINUAL_METRICS,
                ContinualTables.TASK_FORGETTING, ContinualTables.TASK_PLASTICITY)) {
            assertThat(single.resolve(table)).doesNotExist();
            assertThat(single.resolve(table + ".csv")).doesNotExist();
        }
        assertThat(single.resolve(AnalysisCharts.FOLDER).resolve("accuracy_matrix.png")).doesNotExist();
        assertThat(Files.readString(single.resolve(AnalyzeJob.REPORT))).doesNotContain("Continual learning");
    }

    @Test
    void evaluationsOfSchemaVersionOneAreNotContinual() {
        Path in = dir.resolve("version-1");
        StructType versionOne = new StructType(Arrays.stream(ResultWriter.EVALUATIONS_SCHEMA.fields())
                .filter(f -> !"trained_task".equals(f.name())).toArray(StructField[]::new));
        ContinualFixture.append(SPARK.session(), List.of(
                RowFactory.create("v1", null, 1, 0, "test", 100L, 0.5, 0.5),
                RowFactory.create("v1", null, 2, 0, "test", 100L, 0.5, 0.5),
                RowFactory.create("v1", null, 2, 1, "test", 100L, 0.5, 0.5)), versionOne, in.resolve(ResultWriter.EVALUATIONS));
        AnalysisInputs inputs = AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(in));
        assertThat(inputs.evaluations().where("trained_task IS NULL").count()).isEqualTo(3);
        assertThat(AnalysisTables.of(SPARK.session(), inputs, Optional.empty(), 0.9).continual()).isEmpty();
    }

    @Test
    void tasksTrainedOutOfOrderAreRefusedNamingTheRun() {
        Path in = dir.resolve("out-of-order");
        ContinualFixture.append(SPARK.session(), List.of(
                ContinualFixture.evaluation("x", 1, 0, "test", 0.1, 1),
                ContinualFixture.evaluation("x", 1, 1, "test", 0.9, 1),
                ContinualFixture.evaluation("x", 2, 0, "test", 0.9, 0),
                ContinualFixture.evaluation("x", 2, 1, "test", 0.5, 0)), ResultWriter.EVALUATIONS_SCHEMA, in.resolve(ResultWriter.EVALUATIONS));
        assertThatThrownBy(() -> AnalysisTables.of(SPARK.session(), AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(in)),
                Optional.empty(), 0.9))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("evaluations/: run x evaluates task 1 as trained at epochs 1-1 and task 0 at epochs 2-2; "
                        + "expected tasks trained in increasing order, each over its own epochs");
    }
}
