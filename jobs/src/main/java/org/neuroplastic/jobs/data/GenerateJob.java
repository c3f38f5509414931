package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.storage.Location;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/** The {@code generate} job: writes a synthetic data set as Parquet under {@code <out>/dataset/}. */
public final class GenerateJob {

    /** The data set's folder inside the job's output folder. */
    public static final String DATASET = "dataset";

    private GenerateJob() {
    }

    /** What was written. */
    public record Summary(Location dataset, long trainRows, long testRows) {
    }

    public static Summary run(GenerateConfig config, SparkSession spark, Location out) {
        Location dataset = out.resolve(DATASET);
        // Not partitioned by split: readers filter on the column, and every file keeps the full schema.
        SyntheticDataset.generate(spark, config).write().mode(SaveMode.ErrorIfExists).parquet(dataset.uri());
        List<Row> counts = spark.read().parquet(dataset.uri()).groupBy(col(DatasetSchema.SPLIT)).count()
                .collectAsList();
        long train = 0;
        long test = 0;
        for (Row row : counts) {
            if (DatasetSchema.TRAIN.equals(row.getString(0))) {
                train = row.getLong(1);
            } else {
                test = row.getLong(1);
            }
        }
        return new Summary(dataset, train, test);
    }
}
