package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.train.RunSummary;
import org.neuroplastic.jobs.train.TrainJob;
import picocli.CommandLine.Command;

import java.nio.file.Path;

@Command(name = "train", sortOptions = false,
        description = "Train a plastic network with Spark parameter averaging; write trajectories, runs and evaluations.")
final class TrainCommand extends JobCommand<TrainConfig> {

    @Override
    String name() {
        return "train";
    }

    @Override
    TrainConfig read(ConfigDocument document) {
        return TrainConfig.read(document);
    }

    @Override
    String effectiveYaml(TrainConfig config) {
        return config.effectiveYaml();
    }

    @Override
    String run(TrainConfig config, SparkSession spark, Path out) {
        RunSummary summary = TrainJob.run(config, spark, out);
        return "run " + summary.runId() + ": " + summary.trainRows() + " training and " + summary.testRows()
                + " held-out examples";
    }
}
