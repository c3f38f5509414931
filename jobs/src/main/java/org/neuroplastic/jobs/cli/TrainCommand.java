package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.train.RunSummary;
import org.neuroplastic.jobs.train.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", sortOptions = false,
        description = {"Train a plastic network with Spark parameter averaging; write trajectories, runs and evaluations.",
                "A run that diverges (NaN or infinite loss or state) stops, keeps its rows, is marked diverged "
                        + "and exits with code " + Neuroplastic.DIVERGED + "."})
final class TrainCommand extends JobCommand<TrainConfig> {

    @Option(names = "--resume",
            description = "Continue the killed run of --out from its last checkpoint (same --config and --set).")
    boolean resume;

    private boolean diverged;

    @Override
    String name() {
        return "train";
    }

    @Override
    TrainConfig read(ConfigDocument document) {
        if (resume && options.out == null) {
            throw new InvalidInputException("--resume needs --out naming the output folder of the killed run");
        }
        if (resume && options.overwrite) {
            throw new InvalidInputException("--resume and --overwrite exclude each other: continue the run or replace it");
        }
        return TrainConfig.read(document);
    }

    @Override
    OutputFolder prepareOutput(Storage storage, Location out) {
        return resume ? OutputFolder.resume(storage, out, TrainJob.RESUME_MARKER) : super.prepareOutput(storage, out);
    }

    @Override
    String effectiveYaml(TrainConfig config) {
        return config.effectiveYaml();
    }

    @Override
    String run(TrainConfig config, SparkSession spark, Location out) {
        RunSummary summary = resume ? TrainJob.resume(config, spark, out, System.out) : TrainJob.run(config, spark, out);
        diverged = summary.diverged();
        if (diverged) {
            return "run " + summary.runId() + " diverged: " + summary.divergence();
        }
        return "run " + summary.runId() + ": " + summary.trainRows() + " training and " + summary.testRows()
                + " held-out examples";
    }

    @Override
    int exitCode() {
        return diverged ? Neuroplastic.DIVERGED : 0;
    }
}
