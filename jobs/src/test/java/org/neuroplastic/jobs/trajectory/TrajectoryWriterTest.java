package org.neuroplastic.jobs.trajectory;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrajectoryWriterTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @Test
    void appendsRowsPartitionedByRunIdWithTheDocumentedSchema(@TempDir Path out) {
        LayerMetrics plastic = new LayerMetrics(0, 0.25, 0.1, 0.8, 3L, 2L, 1L, 1.0, 0.9, 1.1, 0.3, 0.05, 0.2, 4.5);
        TrajectoryScope first = new TrajectoryScope("run-a", null, 0);
        TrajectoryScope second = new TrajectoryScope("run-b", "trial-7", 1);
        TrajectoryWriter writer = new TrajectoryWriter(SPARK.session());

        writer.append(List.of(
                TrajectoryRecord.of(first, 0, 0, 1, "0", "exec-1", plastic, 1.5, 0.3, null, 12),
                TrajectoryRecord.of(first, 0, 0, 1, TrajectoryRecord.AVERAGED, "driver", plastic, 1.4, 0.2, 0.02, 30)),
                LocalFiles.at(out));
        writer.append(List.of(TrajectoryRecord.of(second, 2, 3, 40, "1", "exec-2",
                LayerMetrics.weightsOnly(1, 2.0), 0.7, null, null, 9)), LocalFiles.at(out));

        Path folder = out.resolve(TrajectoryWriter.FOLDER);
        assertThat(folder.resolve("run_id=run-a")).isDirectory();
        assertThat(folder.resolve("run_id=run-b")).isDirectory();
        Dataset<Row> read = SPARK.session().read().parquet(folder.toString());
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.schema().fieldNames()).containsExactlyInAnyOrder(TrajectoryWriter.SCHEMA.fieldNames());
        assertThat(read.schema().apply("pruned").dataType()).isEqualTo(DataTypes.LongType);
        assertThat(read.schema().apply("step").dataType()).isEqualTo(DataTypes.LongType);

        Row averaged = read.where("worker = 'avg'").first();
        assertThat(averaged.<String>getAs("run_id")).isEqualTo("run-a");
        assertThat(averaged.<Double>getAs("mask_density")).isEqualTo(0.8);
        assertThat(averaged.<Long>getAs("units_replaced")).isEqualTo(1L);
        assertThat(averaged.<Double>getAs("worker_divergence")).isEqualTo(0.02);
        assertThat(averaged.<Double>getAs("drift")).isEqualTo(0.2);
        assertThat(averaged.<String>getAs("trial_id")).isNull();
        Row other = read.where("run_id = 'run-b'").first();
        assertThat(other.<String>getAs("trial_id")).isEqualTo("trial-7");
        assertThat(other.<Double>getAs("hebbian_norm")).isNull();
        assertThat(other.<Long>getAs("units_replaced")).isNull();
        assertThat(other.<Long>getAs("step")).isEqualTo(40L);
    }

    @Test
    void rowsHeldOnTheExecutorsAreWrittenFromThereInTheGivenNumberOfFiles(@TempDir Path out) throws Exception {
        TrajectoryScope scope = new TrajectoryScope("run-c", null, 0);
        List<byte[]> batches = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<TrajectoryRecord> rows = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                rows.add(TrajectoryRecord.of(scope, 0, round, round * 3L + step + 1, "0", "exec-1",
                        LayerMetrics.weightsOnly(0, 1.0), 0.5, null, null, 1));
            }
            batches.add(EncodedRows.encode(rows));
        }

        new TrajectoryWriter(SPARK.session()).append(SPARK.context().parallelize(batches, 4), 1, LocalFiles.at(out));

        Path run = out.resolve(TrajectoryWriter.FOLDER).resolve("run_id=run-c");
        try (var files = Files.list(run)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count()).isEqualTo(1);
        }
        Dataset<Row> read = SPARK.session().read().parquet(run.toString());
        assertThat(read.count()).isEqualTo(12);
        assertThat(read.select("step").distinct().count()).isEqualTo(12);
    }

    @Test
    void anAppendTakesOneFilePerMillionRows() {
        assertThat(TrajectoryWriter.files(0)).isEqualTo(1);
        assertThat(TrajectoryWriter.files(TrajectoryWriter.ROWS_PER_FILE)).isEqualTo(1);
        assertThat(TrajectoryWriter.files(TrajectoryWriter.ROWS_PER_FILE + 1)).isEqualTo(2);
    }

    @Test
    void writesNothingForNoRows(@TempDir Path out) {
        new TrajectoryWriter(SPARK.session()).append(List.of(), LocalFiles.at(out));
        assertThat(Files.exists(out.resolve(TrajectoryWriter.FOLDER))).isFalse();
    }
}
