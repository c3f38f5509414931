package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.data.GenerateJob;
import org.neuroplastic.jobs.storage.Location;
import picocli.CommandLine.Command;

@Command(name = "generate", sortOptions = false,
        description = "Write a synthetic data set (regression or classification) as Parquet to <out>/dataset/.")
final class GenerateCommand extends JobCommand<GenerateCommand.Generate> {

    /** The configuration with its effective YAML. */
    record Generate(GenerateConfig config, String effectiveYaml) {
    }

    @Override
    String name() {
        return "generate";
    }

    @Override
    Generate read(ConfigDocument document) {
        var root = document.root();
        GenerateConfig config = GenerateConfig.read(root);
        return new Generate(config, root.effectiveYaml());
    }

    @Override
    String effectiveYaml(Generate generate) {
        return generate.effectiveYaml();
    }

    @Override
    String run(Generate generate, SparkSession spark, Location out) {
        GenerateJob.Summary summary = GenerateJob.run(generate.config(), spark, out);
        return "generated " + (summary.trainRows() + summary.testRows()) + " rows (" + summary.trainRows() + " train, "
                + summary.testRows() + " test)";
    }
}
