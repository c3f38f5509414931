package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.schema.DocumentedSchema;
import org.neuroplastic.jobs.schema.DuckDbRows;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A non-Spark engine, DuckDB's JDBC driver, reads a sweep's trials table as docs/SCHEMA.md documents it. */
class TrialsInteroperabilityTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Connection duckdb;
    private static Path out;

    @BeforeAll
    static void runATinySweep() throws SQLException {
        out = dir.resolve("sweep");
        SweepJob.run(SweepFiles.sweep("""
                method: grid
                replicas: 2
                parameters:
                  network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.05]}
                """), SPARK.session(), LocalFiles.at(out), false, new PrintStream(new ByteArrayOutputStream()));
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void stop() throws SQLException {
        duckdb.close();
    }

    private static String trials() {
        return "read_parquet('" + out.resolve("trials") + "/*.parquet')";
    }

    private static List<List<Object>> query(String sql) throws SQLException {
        return DuckDbRows.of(duckdb, sql);
    }

    @Test
    void duckdbSeesTheDocumentedColumnsAndOneColumnPerSweptKey() throws Exception {
        Map<String, String> columns = new LinkedHashMap<>();
        for (List<Object> row : query("DESCRIBE SELECT * FROM " + trials())) {
            columns.put((String) row.get(0), (String) row.get(1));
        }
        Map<String, String> documented = DocumentedSchema.duckdbColumns("trials");
        assertThat(documented).isNotEmpty();
        assertThat(columns).containsAllEntriesOf(documented);
        Map<String, String> swept = new LinkedHashMap<>(columns);
        swept.keySet().removeAll(documented.keySet());
        assertThat(swept).containsExactly(Map.entry("network_hidden_0_plasticity_hebbian_eta", "VARCHAR"));
    }

    @Test
    void duckdbReadsTheTrialsSparkReads() throws Exception {
        List<List<Object>> duck = query("SELECT trial_id, status, run_id, epochs_completed, final_metric, best_metric, seed, "
                + "network_hidden_0_plasticity_hebbian_eta FROM " + trials() + " ORDER BY trial_id");
        List<Row> sparkRows = SPARK.session().read().parquet(out.resolve("trials").toString()).orderBy("trial_id")
                .select("trial_id", "status", "run_id", "epochs_completed", "final_metric", "best_metric", "seed",
                        "network_hidden_0_plasticity_hebbian_eta")
                .collectAsList();

        // Two settings of two replicas each, all trained.
        assertThat(duck).hasSize(4);
        assertThat(duck).extracting(r -> r.get(0)).containsExactly("t0000", "t0001", "t0002", "t0003");
        assertThat(duck).extracting(r -> r.get(7)).containsExactly("0.001", "0.001", "0.05", "0.05");
        for (int i = 0; i < duck.size(); i++) {
            Row s = sparkRows.get(i);
            List<Object> d = duck.get(i);
            assertThat(d.get(1)).isEqualTo("completed").isEqualTo(s.getAs("status"));
            assertThat(d.get(2)).isEqualTo(s.getAs("run_id"));
            assertThat(d.get(3)).isEqualTo(s.<Integer>getAs("epochs_completed"));
            assertThat(d.get(4)).isEqualTo(s.<Double>getAs("final_metric"));
            assertThat(d.get(5)).isEqualTo(s.<Double>getAs("best_metric"));
            assertThat(d.get(6)).isEqualTo(s.<Long>getAs("seed"));
        }
        // Every trial's run is in the runs table the train job's layout gives it.
        List<List<Object>> joined = query("SELECT count(*) FROM " + trials() + " t JOIN read_parquet('"
                + out.resolve("runs") + "/**/*.parquet', hive_partitioning=true) r ON t.run_id = r.run_id");
        assertThat(((Number) joined.get(0).get(0)).longValue()).isEqualTo(4);
    }
}
