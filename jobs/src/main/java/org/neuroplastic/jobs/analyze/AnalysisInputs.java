package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The tables of a train run's or a sweep's output folder, read with the schemas docs/SCHEMA.md states. A
 * table the folder lacks (trajectories switched off, a run that failed before its first evaluation) is
 * read as empty; the sweep's {@code trials/} table is optional.
 */
public record AnalysisInputs(Dataset<Row> trajectories, Dataset<Row> evaluations, Dataset<Row> runs,
                             Optional<Dataset<Row>> trials) {

    /** The sweep's table, one row per trial. */
    public static final String TRIALS = "trials";

    public static AnalysisInputs read(SparkSession spark, Path in) {
        // A run id made of digits must stay a string, as the explicit schemas below say.
        spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        Path trials = in.resolve(TRIALS);
        return new AnalysisInputs(
                table(spark, in.resolve(TrajectoryWriter.FOLDER), TrajectoryWriter.SCHEMA),
                table(spark, in.resolve(ResultWriter.EVALUATIONS), ResultWriter.EVALUATIONS_SCHEMA),
                table(spark, in.resolve(ResultWriter.RUNS), ResultWriter.RUNS_SCHEMA),
                holdsParquet(trials) ? Optional.of(spark.read().parquet(trials.toString())) : Optional.empty());
    }

    private static Dataset<Row> table(SparkSession spark, Path folder, StructType schema) {
        if (!holdsParquet(folder)) {
            return spark.createDataFrame(List.of(), schema);
        }
        return spark.read().schema(schema).parquet(folder.toString());
    }

    private static boolean holdsParquet(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (var files = Files.walk(folder)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
