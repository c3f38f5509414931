package org.neuroplastic.jobs.train;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;

import java.nio.file.Path;
import java.util.UUID;

/**
 * The {@code train} job. This version loads and validates the data and builds nothing else: the
 * distributed training replaces its body (training-master branch); the signature is the contract
 * with the command line.
 */
public final class TrainJob {

    private TrainJob() {
    }

    public static RunSummary run(TrainConfig config, SparkSession spark, Path out) {
        LoadedDataset data = DatasetLoader.load(spark, config.data(), config.network().nIn());
        config.network().spec(data.features(), data.target());
        return new RunSummary(UUID.randomUUID().toString(), data.trainRows(), data.testRows());
    }
}
