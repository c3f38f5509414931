package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrialsTableTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private Location out() {
        return Storage.of(SPARK.session()).locate(dir.toString());
    }

    @Test
    void everyStatusIsWrittenInTheRunsVocabularyAndReadBack() {
        TrialsTable table = new TrialsTable(SPARK.session(), List.of());
        List<TrialRecord> written = java.util.Arrays.stream(RunStatus.values())
                .map(status -> new TrialRecord("s", "t" + status.ordinal(), status.ordinal(), 0, Map.of(), 1L, null,
                        "r" + status.ordinal(), status, null, 2, "test_loss", 0.5, 0.4, 1, Map.of("test_loss", 0.5), 1.0,
                        "driver"))
                .toList();
        table.write(written, out());

        assertThat(SPARK.session().read().parquet(out().resolve(TrialsTable.FOLDER).uri()).orderBy("trial_id")
                .select("status").collectAsList()).extracting(r -> r.getString(0))
                .containsExactly("completed", "stopped", "timed_out", "diverged", "failed");
        assertThat(table.read(out())).extracting(TrialRecord::status).containsExactly(RunStatus.values());
    }

    @Test
    void aTableOfAnEarlierSchemaVersionIsRefusedInOneLine() {
        StructType schema = new StructType().add("trial_id", DataTypes.StringType).add("status", DataTypes.StringType)
                .add("epochs_done", DataTypes.IntegerType).add("schema_version", DataTypes.IntegerType);
        SPARK.session().createDataFrame(List.of(RowFactory.create("t0", "ok", 2, 2)), schema)
                .write().parquet(out().resolve(TrialsTable.FOLDER).uri());

        assertThatThrownBy(() -> new TrialsTable(SPARK.session(), List.of()).read(out()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("trials: a trials table of schema version 2, written by an earlier version; "
                        + "this one resumes version 3 sweeps only: run the sweep again into a new --out")
                .hasMessageNotContaining("\n");
    }

    @Test
    void everyMetricOfAMultiObjectiveSweepIsWrittenByNameAndReadBack() {
        TrialsTable table = new TrialsTable(SPARK.session(), List.of());
        Map<String, Double> finals = new java.util.LinkedHashMap<>();
        finals.put("test_accuracy", 0.75);
        finals.put("test_loss", 0.5);
        TrialRecord measured = new TrialRecord("s", "t0", 0, 0, Map.of(), 1L, null, "r0", RunStatus.COMPLETED, null, 2,
                "test_accuracy", 0.75, 0.8, 1, finals, 1.0, "driver");
        TrialRecord failed = new TrialRecord("s", "t1", 1, 0, Map.of(), 2L, null, null, RunStatus.FAILED, "boom", 0,
                "test_accuracy", null, null, null, Map.of(), 0.1, "driver");
        table.write(List.of(measured, failed), out());

        assertThat(SPARK.session().read().parquet(out().resolve(TrialsTable.FOLDER).uri()).orderBy("trial_id")
                .selectExpr("final_metrics['test_loss']").collectAsList()).extracting(r -> r.get(0))
                .containsExactly(0.5, null);
        assertThat(table.read(out())).extracting(TrialRecord::finalMetrics).containsExactly(finals, Map.of());
    }
}
