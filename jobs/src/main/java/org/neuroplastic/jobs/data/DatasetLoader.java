package org.neuroplastic.jobs.data;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.model.network.ConfigName;

/**
 * Loads a train job's data from any supported source into rows of {@link DatasetSchema#SCHEMA} and
 * rejects bad data before any training starts. Every source is read on the executors: Parquet by Spark
 * SQL, synthetic rows generated in place, CSV, LibSVM and IDX files by {@link FileDataset}.
 */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /**
     * Loads and validates {@code source} as the tasks it is trained in: the tasks of its stream, or one
     * task holding every row when it has none.
     */
    public static TaskData loadTasks(SparkSession spark, DataSource source, int expectedFeatures) {
        return loadTasks(spark, source, expectedFeatures, null);
    }

    /**
     * As {@link #loadTasks(SparkSession, DataSource, int)}, standardizing with {@code recorded} (the
     * statistics a killed run recorded, which its resumption must reuse exactly) instead of computing them
     * again; null computes them when the source asks for standardization.
     */
    public static TaskData loadTasks(SparkSession spark, DataSource source, int expectedFeatures,
                                     Standardization recorded) {
        if (source instanceof DataSource.Streamed streamed) {
            TaskData tasks = TaskData.of(load(spark, streamed.source(), expectedFeatures, recorded), streamed.stream());
            return streamed.joint() ? tasks.joint() : tasks;
        }
        return TaskData.single(load(spark, source, expectedFeatures, recorded));
    }

    /**
     * Loads and validates {@code source}, which must not be a stream (see {@link #loadTasks}).
     *
     * @param expectedFeatures the network's input count, or {@link NetworkConfig#INFERRED} to accept the
     *                         data's own (then every row must still have the same count)
     */
    public static LoadedDataset load(SparkSession spark, DataSource source, int expectedFeatures) {
        return load(spark, source, expectedFeatures, null);
    }

    /**
     * Loads and validates {@code source}; when it asks for standardization ({@code data.standardize}),
     * every feature of every split is standardized, here and only here, so that every way of training
     * (either master, sweeps in both modes, continual streams) reads the same standardized values.
     *
     * @param recorded statistics to standardize with instead of computing them from the training split, or
     *                 null
     */
    public static LoadedDataset load(SparkSession spark, DataSource source, int expectedFeatures,
                                     Standardization recorded) {
        if (source instanceof DataSource.Streamed) {
            throw new IllegalArgumentException("a stream's data is loaded by task: use loadTasks");
        }
        LoadedDataset data = source instanceof DataSource.Validated validated
                ? ValidationRows.carve(loadAsStored(spark, validated.source(), expectedFeatures), validated.validation())
                : loadAsStored(spark, source, expectedFeatures);
        if (!source.standardize()) {
            if (recorded != null) {
                throw new IllegalArgumentException("statistics given for a source that is not standardized");
            }
            return data;
        }
        if (recorded != null && recorded.features() != data.features()) {
            throw new InvalidInputException(data.source() + ": has " + data.features() + " features per row, but the "
                    + "run's recorded standardization has " + recorded.features());
        }
        return data.standardized(recorded != null ? recorded : Standardization.of(data));
    }

    private static LoadedDataset loadAsStored(SparkSession spark, DataSource source, int expectedFeatures) {
        if (source instanceof DataSource.Parquet parquet) {
            return ParquetDataset.load(spark, parquet, expectedFeatures);
        }
        if (source instanceof DataSource.Synthetic synthetic) {
            return ParquetDataset.validate(SyntheticDataset.generate(spark, synthetic.generator()),
                    "synthetic " + ConfigName.of(synthetic.generator().generator()) + " data", synthetic.target(), expectedFeatures);
        }
        return FileDataset.load(spark, source, expectedFeatures);
    }
}
