package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/**
 * What every job does around its own work: read and validate the configuration before anything is
 * created, refuse an existing output folder, run on Spark into a staging folder, store the effective
 * configuration beside the results as {@code config.yaml}, and move the folder into place on success.
 * Every path goes through one {@link Storage}, so a scheme-less {@code --config} and {@code --out} name
 * the default file system, the one Spark's own reads and writes use.
 *
 * @param <C> the job's configuration record
 */
abstract class JobCommand<C> implements Callable<Integer> {

    static final String EFFECTIVE_CONFIG = "config.yaml";

    @Mixin
    JobOptions options;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    /** The job's name, as typed on the command line. */
    abstract String name();

    abstract C read(ConfigDocument document);

    abstract String effectiveYaml(C config);

    /** Runs the job, writing every result under {@code out}; returns a one-line summary for the console. */
    abstract String run(C config, SparkSession spark, Location out);

    /** Creates the output folder; by default a staging folder renamed into place on success. */
    OutputFolder prepareOutput(Storage storage, Location out) {
        return OutputFolder.prepare(storage, out, options.overwrite);
    }

    @Override
    public Integer call() {
        Storage storage = Storage.beforeSpark();
        C config = read(ConfigDocument.load(storage, JobOptions.locate(storage, "--config", options.config), options.sets));
        String out = options.out != null ? options.out
                : "out/" + name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        OutputFolder folder = prepareOutput(storage, JobOptions.locate(storage, "--out", out));
        String summary;
        try {
            SparkSession spark = options.startSpark(name());
            try {
                summary = run(config, spark, folder.staging());
            } finally {
                spark.stop();
            }
            storage.writeText(folder.staging().resolve(EFFECTIVE_CONFIG), effectiveYaml(config));
            folder.commit();
        } catch (IOException e) {
            folder.abandon();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            folder.abandon();
            throw e;
        }
        summary = finalLine(summary);
        int code = exitCode();
        PrintWriter console = code == 0 ? spec.commandLine().getOut() : spec.commandLine().getErr();
        console.println(summary);
        console.println("results in " + folder.target());
        return code;
    }

    /** The line printed when the job's results are committed: by default its summary. */
    String finalLine(String summary) {
        return summary;
    }

    /** The exit code of a job whose results were committed: 0 unless the job says its outcome is not a success. */
    int exitCode() {
        return 0;
    }
}
