package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.SweepConfig;
import org.neuroplastic.jobs.sweep.SweepJob;
import org.neuroplastic.jobs.sweep.SweepSummary;
import org.neuroplastic.jobs.sweep.TrialsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.time.Instant;

@Command(name = "sweep", sortOptions = false,
        description = {"Run a hyperparameter sweep (grid or random search over any train configuration key); "
                + "write the trials table and every trial's trajectories, evaluations and runs.",
                "The output folder is written in place so that a killed sweep can be continued with --resume; "
                        + "--overwrite deletes an existing folder before the sweep starts."})
final class SweepCommand extends JobCommand<SweepConfig> {

    @Option(names = "--resume", description = "Continue the sweep in --out: keep finished trials, run the others again.")
    boolean resume;

    @Override
    String name() {
        return "sweep";
    }

    @Override
    SweepConfig read(ConfigDocument document) {
        if (resume && options.out == null) {
            throw new InvalidInputException("--resume needs --out naming the folder of the sweep to continue");
        }
        if (resume && options.overwrite) {
            throw new InvalidInputException("--resume and --overwrite exclude each other: continue the sweep or replace it");
        }
        return SweepConfig.read(document);
    }

    @Override
    OutputFolder prepareOutput(Storage storage, Location out) {
        return OutputFolder.inPlace(storage, out, options.overwrite, resume, TrialsTable.FOLDER);
    }

    @Override
    String effectiveYaml(SweepConfig config) {
        return config.effectiveYaml();
    }

    private SweepSummary summary;

    @Override
    String run(SweepConfig config, SparkSession spark, Location out) {
        summary = SweepJob.run(config, spark, out, resume, System.out);
        return summary.describe();
    }

    /** The summary with the time spent, up to now: Spark stopped and the folder committed. */
    @Override
    String finalLine(String described) {
        Instant processStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        return summary.describe(processStart, Instant.now());
    }
}
