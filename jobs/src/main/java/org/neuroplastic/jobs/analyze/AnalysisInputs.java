package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The tables of a train run's or a sweep's output folder, read with the schemas docs/SCHEMA.md states. A
 * table the folder lacks (trajectories switched off, a run that failed before its first evaluation) is
 * read as empty; the sweep's {@code trials/} table is optional. In a sweep's folder only the runs its
 * trials table names are read: the table is the sweep's commit record, and a trial's partitions being
 * copied into place on an object store are not yet in it.
 */
public record AnalysisInputs(Dataset<Row> trajectories, Dataset<Row> evaluations, Dataset<Row> runs,
                             Optional<Dataset<Row>> trials) {

    /** The sweep's table, one row per trial. */
    public static final String TRIALS = "trials";

    public static AnalysisInputs read(SparkSession spark, Storage storage, Location in) {
        // A run id made of digits must stay a string, as the explicit schemas below say.
        spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        Location trialsFolder = in.resolve(TRIALS);
        Optional<Dataset<Row>> trials = holdsParquet(storage, trialsFolder)
                ? Optional.of(spark.read().parquet(trialsFolder.uri())) : Optional.empty();
        return new AnalysisInputs(
                table(spark, storage, in.resolve(TrajectoryWriter.FOLDER), TrajectoryWriter.SCHEMA, trials),
                table(spark, storage, in.resolve(ResultWriter.EVALUATIONS), ResultWriter.EVALUATIONS_SCHEMA, trials),
                table(spark, storage, in.resolve(ResultWriter.RUNS), ResultWriter.RUNS_SCHEMA, trials),
                trials);
    }

    private static Dataset<Row> table(SparkSession spark, Storage storage, Location folder, StructType schema,
                                      Optional<Dataset<Row>> trials) {
        if (!holdsParquet(storage, folder)) {
            return spark.createDataFrame(List.of(), schema);
        }
        Dataset<Row> rows = spark.read().schema(schema).parquet(folder.uri());
        return trials.map(t -> {
            Dataset<Row> committed = t.select("run_id").where("run_id IS NOT NULL");
            return rows.join(committed, rows.col("run_id").equalTo(committed.col("run_id")), "left_semi");
        }).orElse(rows);
    }

    private static boolean holdsParquet(Storage storage, Location folder) {
        try {
            return storage.isFolder(folder)
                    && storage.filesBelow(folder).keySet().stream().anyMatch(p -> p.endsWith(".parquet"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
