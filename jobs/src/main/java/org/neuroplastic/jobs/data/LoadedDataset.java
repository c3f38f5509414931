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
 * @param rows            every split
 * @param slices          for CSV, LibSVM and IDX data, the same rows as {@link ExampleSlice}s, one per
 *                        partition of {@code rows}, in order; null for Parquet and synthetic data
 * @param source          the file or folder it came from, for messages
 * @param features        features per row
 * @param trainRows       rows in the train split
 * @param validationRows  rows in the validation split carved from the training rows ({@code data.validation_fraction}),
 *                        0 without one
 * @param testRows        rows in the test split
 * @param standardization the statistics {@code rows} and {@code slices} were standardized with, or null
 *                        when the features are as the source holds them
 */
public record LoadedDataset(Dataset<Row> rows, JavaRDD<ExampleSlice> slices, String source, int features,
                            Target target, long trainRows, long validationRows, long testRows,
                            Standardization standardization) {

    public LoadedDataset {
        if (standardization != null && standardization.features() != features) {
            throw new IllegalArgumentException("standardization has " + standardization.features()
                    + " features, the data set " + features);
        }
    }

    public Dataset<Row> train() {
        return rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TRAIN));
    }

    public Dataset<Row> validation() {
        return rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.VALIDATION));
    }

    public Dataset<Row> test() {
        return rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TEST));
    }

    /**
     * The same data set with every row's features, in every split, standardized by {@code statistics}:
     * rows and slices alike, so that every way of reading it (minibatches, streams, sweeps) sees the
     * same values.
     */
    LoadedDataset standardized(Standardization statistics) {
        if (standardization != null) {
            throw new IllegalStateException(source + " is standardized already");
        }
        if (slices == null) {
            return new LoadedDataset(rows.withColumn(DatasetSchema.FEATURES, statistics.apply(col(DatasetSchema.FEATURES))),
                    null, source, features, target, trainRows, validationRows, testRows, statistics);
        }
        // Rows of file data are derived from its slices, as the loader derives them, so the two agree.
        JavaRDD<ExampleSlice> standardizedSlices = slices.map(slice -> slice.standardized(statistics));
        Dataset<Row> standardizedRows = rows.sparkSession().createDataFrame(
                standardizedSlices.flatMap(ExampleSlice::rows), DatasetSchema.SCHEMA);
        return new LoadedDataset(standardizedRows, standardizedSlices, source, features, target, trainRows,
                validationRows, testRows, statistics);
    }
}
