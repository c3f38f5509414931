package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.schema.DocumentedSchema;
import org.neuroplastic.jobs.schema.DuckDbRows;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.train.RunSummary;
import org.neuroplastic.jobs.train.TrainJob;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A real train run's trajectories, evaluations and runs, read by a second engine (DuckDB, through its JDBC
 * driver, with its own Parquet reader and Hive partition discovery): the columns and types are those
 * docs/SCHEMA.md states, and the rows are the ones Spark reads.
 */
class DuckDbInteroperabilityTest {

    private static final String CONFIG = """
            data:
              format: synthetic
              generator: regression
              rows: 600
              partitions: 2
              seed: 7
              test_fraction: 0.2
            network:
              n_in: 10
              hidden:
                - size: 8
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.01, alpha: free, alpha_init: 0.01}
                    scaling: {enabled: true, target_activity: 0.5, rate: 0.01, min: 0.5, max: 2.0}
                    structural: {enabled: true, density: 0.5, zeta: 0.1, rewire_every: 5, regrowth: hebbian}
                    activity_rate: 0.05
              output: {activation: identity, loss: mse}
              updater: {name: adam, learning_rate: 0.01}
              seed: 7
            training:
              workers: 2
              batch_size_per_worker: 16
              averaging_frequency: 5
              epochs: 2
              averaging: resident
              trajectories: true
            """;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Connection duckdb;
    private static Path out;
    private static RunSummary run;

    @BeforeAll
    static void trainOneSmallRun() throws SQLException, IOException {
        out = dir.resolve("train");
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/tiny.yaml", CONFIG, List.of()));
        run = TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(OutputStream.nullOutputStream()));
        // As the train command does once the job has succeeded: analyze reads committed runs only.
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(out));
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void stop() throws SQLException {
        duckdb.close();
    }

    private static String duckTable(String folder) {
        return "read_parquet('" + out.resolve(folder) + "/**/*.parquet', hive_partitioning=true)";
    }

    private static List<List<Object>> duckQuery(String sql) throws SQLException {
        return DuckDbRows.of(duckdb, sql);
    }

    private static Map<String, String> duckColumns(String folder) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        for (List<Object> row : duckQuery("DESCRIBE SELECT * FROM " + duckTable(folder))) {
            columns.put((String) row.get(0), (String) row.get(1));
        }
        return columns;
    }

    @Test
    void duckdbSeesTheDocumentedColumnsAndTypes() throws Exception {
        for (String table : List.of(TrajectoryWriter.FOLDER, ResultWriter.EVALUATIONS, ResultWriter.RUNS)) {
            Map<String, String> documented = DocumentedSchema.duckdbColumns(table);
            assertThat(documented).as(table).isNotEmpty();
            assertThat(duckColumns(table)).as(table).containsExactlyInAnyOrderEntriesOf(documented);
        }
    }

    @Test
    void duckdbReadsTheRowsSparkReadsOnePerKey() throws Exception {
        Map<String, String> keys = Map.of(
                TrajectoryWriter.FOLDER, "run_id, task, epoch, round, step, worker, layer",
                ResultWriter.EVALUATIONS, "run_id, epoch, task, split",
                ResultWriter.RUNS, "run_id");
        for (Map.Entry<String, String> table : keys.entrySet()) {
            long sparkRows = SPARK.session().read().parquet(out.resolve(table.getKey()).toString()).count();
            List<Object> duck = duckQuery("SELECT count(*), count(DISTINCT (" + table.getValue() + ")), "
                    + "list_sort(list(DISTINCT run_id)) FROM " + duckTable(table.getKey())).get(0);
            assertThat(sparkRows).as(table.getKey()).isPositive();
            assertThat(((Number) duck.get(0)).longValue()).as(table.getKey() + " rows").isEqualTo(sparkRows);
            assertThat(((Number) duck.get(1)).longValue()).as(table.getKey() + " distinct keys").isEqualTo(sparkRows);
            assertThat(duck.get(2).toString()).as(table.getKey() + " run ids").isEqualTo("[" + run.runId() + "]");
        }
        assertThat(duckQuery("SELECT count(*) FROM " + duckTable(ResultWriter.RUNS)).get(0).get(0)).isEqualTo(1L);
    }

    @Test
    void duckdbReadsTheSameValues() throws Exception {
        List<Row> sparkEvaluations = SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString())
                .orderBy("epoch", "task", "split").select("epoch", "task", "split", "examples", "loss").collectAsList();
        List<List<Object>> duckEvaluations = duckQuery("SELECT epoch, task, split, examples, loss FROM "
                + duckTable(ResultWriter.EVALUATIONS) + " ORDER BY epoch, task, split");
        assertThat(duckEvaluations).hasSameSizeAs(sparkEvaluations);
        for (int i = 0; i < sparkEvaluations.size(); i++) {
            Row s = sparkEvaluations.get(i);
            assertThat(duckEvaluations.get(i)).containsExactly(s.getInt(0), s.getInt(1), s.getString(2), s.getLong(3), s.getDouble(4));
        }

        String[] numeric = {"task", "epoch", "round", "step", "layer", "loss", "hebbian_norm", "alpha_mean_abs", "mask_density",
                "pruned", "regrown", "units_replaced", "scaling_mean", "scaling_min", "scaling_max", "activity_mean", "activity_std",
                "threshold_mean", "weight_norm", "dead_fraction", "effective_rank", "mean_abs_weight", "drift", "worker_divergence",
                "wall_ms"};
        StringBuilder aggregates = new StringBuilder();
        for (String column : numeric) {
            aggregates.append(aggregates.isEmpty() ? "" : ", ").append("count(").append(column).append("), CAST(sum(")
                    .append(column).append(") AS DOUBLE)");
        }
        SPARK.session().read().parquet(out.resolve(TrajectoryWriter.FOLDER).toString()).createOrReplaceTempView("spark_trajectories");
        Row sparkSums = SPARK.session().sql("SELECT " + aggregates + " FROM spark_trajectories").first();
        List<Object> duckSums = duckQuery("SELECT " + aggregates + " FROM " + duckTable(TrajectoryWriter.FOLDER)).get(0);
        for (int i = 0; i < numeric.length; i++) {
            String column = numeric[i];
            assertThat(((Number) duckSums.get(2 * i)).longValue()).as("non-null " + column).isEqualTo(sparkSums.getLong(2 * i));
            if (!sparkSums.isNullAt(2 * i + 1)) {
                double expected = sparkSums.getDouble(2 * i + 1);
                assertThat(((Number) duckSums.get(2 * i + 1)).doubleValue()).as("sum of " + column)
                        .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
            }
        }
        assertThat(sparkSums.getLong(2 * 9)).as("the run rewired its masks").isPositive();

        Row sparkRun = SPARK.session().read().parquet(out.resolve(ResultWriter.RUNS).toString()).selectExpr("status", "epochs_completed",
                "final_test_loss", "unix_micros(started_at)", "array_join(array_sort(map_keys(versions)), ',')").first();
        List<Object> duckRun = duckQuery("SELECT status, epochs_completed, final_test_loss, epoch_us(started_at), "
                + "array_to_string(list_sort(map_keys(versions)), ',') FROM " + duckTable(ResultWriter.RUNS)).get(0);
        // Compared in microseconds, Spark's precision: DuckDB's epoch_ms rounds to the nearest millisecond
        // where Spark's unix_millis truncates.
        assertThat(duckRun).containsExactly("completed", 2, sparkRun.getDouble(2), sparkRun.getLong(3), sparkRun.getString(4));
        assertThat(sparkRun.getDouble(2)).as("final_test_loss is the last epoch's held-out loss")
                .isEqualTo(sparkEvaluations.stream().filter(r -> r.getInt(0) == 2 && "test".equals(r.getString(2)))
                        .findFirst().orElseThrow().getDouble(4));
    }

    @Test
    void analysisOfTheRunAgreesWithDuckDbsOwnComputationFromTheRawTables() throws Exception {
        Path analysis = Files.createDirectories(dir.resolve("analysis"));
        AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(out), 0.9), SPARK.session(), LocalFiles.at(analysis));
        List<Object> summary = duckQuery("SELECT run_id, final_test_loss, test_loss_auc, turnover, hebbian_norm FROM read_parquet('"
                + analysis.resolve(AnalysisTables.TRIAL_SUMMARY) + "/*.parquet')").get(0);
        List<Object> raw = duckQuery("""
                WITH curve AS (
                  SELECT epoch, loss, lag(epoch) OVER (ORDER BY epoch) AS e0, lag(loss) OVER (ORDER BY epoch) AS l0
                  FROM %1$s WHERE split = 'test')
                SELECT (SELECT final_test_loss FROM %2$s),
                       (SELECT sum((epoch - e0) * (loss + l0) / 2) FROM curve),
                       (SELECT sum(pruned + regrown) FROM %3$s WHERE worker = 'avg'),
                       (SELECT avg(hebbian_norm) FROM %3$s
                        WHERE worker = 'avg' AND step = (SELECT max(step) FROM %3$s WHERE worker = 'avg'))"""
                .formatted(duckTable(ResultWriter.EVALUATIONS), duckTable(ResultWriter.RUNS), duckTable(TrajectoryWriter.FOLDER)))
                .get(0);
        assertThat(summary.get(0)).isEqualTo(run.runId());
        assertThat(((Number) summary.get(1)).doubleValue()).isEqualTo(((Number) raw.get(0)).doubleValue());
        assertThat(((Number) summary.get(2)).doubleValue()).isCloseTo(((Number) raw.get(1)).doubleValue(), within(1e-12));
        assertThat(((Number) summary.get(3)).longValue()).isEqualTo(((Number) raw.get(2)).longValue()).isPositive();
        assertThat(((Number) summary.get(4)).doubleValue()).isCloseTo(((Number) raw.get(3)).doubleValue(), within(1e-12));
    }
}
