package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neuroplastic.jobs.config.Target;

import static org.apache.spark.sql.functions.col;

/**
 * A validated data set: rows of {@link DatasetSchema#SCHEMA}, every feature finite, every row with
 * {@code features} entries, every label valid for {@code target}, at least one training row.
 *
 * @param rows      both splits
 * @param slices    for data parsed on the driver, the same rows as {@link ExampleSlice}s, one per partition
 *                  of {@code rows}, in order; null for data read on the executors
 * @param source    the file or folder it came from, for messages
 * @param features  features per row
 * @param trainRows rows in the train split
 * @param testRows  rows in the test split
 */
public record LoadedDataset(Dataset<Row> rows, JavaRDD<ExampleSlice> slices, String source, int features,
                            Target target, long trainRows, long testRows) {

    public Dataset<Row> train() {
        return rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TRAIN));
    }

    public Dataset<Row> test() {
        return rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TEST));
    }
}
