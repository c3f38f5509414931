package org.neuroplastic.jobs.results;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One row of {@code <out>/standardization/} (docs/SCHEMA.md, section "standardization"): the statistics a
 * run standardized its features with, written when its training starts.
 */
public record StandardizationRecord(String runId, String trialId, Standardization statistics) {

    public StandardizationRecord {
        if (runId == null || statistics == null) {
            throw new IllegalArgumentException("a standardization row needs a run id and statistics");
        }
    }

    /**
     * The statistics run {@code runId} recorded under {@code out}, so that a resumed run standardizes
     * exactly as it started; fails in one line naming the folder when there are none.
     */
    public static Standardization read(SparkSession spark, Location out, String runId) {
        Location partition = out.resolve(ResultWriter.STANDARDIZATION).resolve("run_id=" + runId);
        try {
            if (!Storage.of(spark).isFolder(partition)) {
                throw new InvalidInputException(partition + ": run " + runId + " recorded no standardization "
                        + "statistics, which data.standardize needs to resume it; start the run again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + partition, e);
        }
        List<Row> rows = spark.read().parquet(partition.uri()).collectAsList();
        if (rows.size() != 1) {
            throw new InvalidInputException(partition + ": expected one row of standardization statistics for run "
                    + runId + ", found " + rows.size());
        }
        Row row = rows.get(0);
        return Standardization.of(row.getLong(row.fieldIndex("training_rows")),
                doubles(row.getList(row.fieldIndex("mean"))), doubles(row.getList(row.fieldIndex("std"))));
    }

    private static double[] doubles(List<Double> values) {
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
