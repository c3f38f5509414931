package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.LayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisInputsTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /** Trajectories of schema version 3 have no {@code units_replaced}: read with today's columns, it is null. */
    @Test
    void trajectoriesWrittenBeforeUnitsReplacedReadWithTheColumnNull(@TempDir Path in) {
        new TrajectoryWriter(SPARK.session()).toDataFrame(List.of(averagedRow())).drop("units_replaced").write()
                .partitionBy("run_id").parquet(in.resolve(TrajectoryWriter.FOLDER).toString());

        List<Row> read = AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(in))
                .trajectories().collectAsList();

        assertThat(read).hasSize(1);
        Row r = read.get(0);
        assertThat(r.<String>getAs("run_id")).isEqualTo("old");
        assertThat(r.<Object>getAs("units_replaced")).isNull();
        assertThat(r.<Long>getAs("pruned")).isEqualTo(3L);
        assertThat(r.<Double>getAs("scaling_mean")).isEqualTo(1.0);
        assertThat(r.<Long>getAs("wall_ms")).isEqualTo(7L);
    }

    /** An {@code avg} row of a plastic layer that pruned and regrew 3 connections and replaced 2 units. */
    private static TrajectoryRecord averagedRow() {
        LayerMetrics plastic = new LayerMetrics(0, 0.25, 0.1, 0.8, 3L, 3L, 2L, 1.0, 0.9, 1.1, 0.3, 0.05, 0.2, 4.5);
        return TrajectoryRecord.of(new TrajectoryScope("old", null, 0), 1, 0, 4, TrajectoryRecord.AVERAGED, "driver",
                plastic, 1.5, null, null, 7);
    }
}
