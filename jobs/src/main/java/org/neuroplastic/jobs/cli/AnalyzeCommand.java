package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.analyze.AnalysisSettings;
import org.neuroplastic.jobs.analyze.AnalysisSummary;
import org.neuroplastic.jobs.analyze.AnalyzeJob;
import org.neuroplastic.jobs.analyze.Baseline;
import org.neuroplastic.jobs.analyze.StudyGroups;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code neuroplastic analyze --in DIR}: unlike the other jobs it reads results, not a configuration, so
 * it keeps their conventions (inputs checked before anything is created, an existing output refused
 * unless {@code --overwrite}, output staged and moved into place on success) without {@link JobCommand}.
 */
@Command(name = "analyze", sortOptions = false,
        description = "Summarise the results of a train run or a sweep: tables (Parquet and CSV), PNG plots and report.html.")
final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, paramLabel = "DIR",
            description = "Output folder of a train run or a sweep (holding runs/, evaluations/, trajectories/, trials/); "
                    + "a path or a URI (hdfs://, s3a://, ...).")
    String in;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder, a path or a URI; must not exist unless --overwrite (default: <in>/analysis).")
    String out;

    @Option(names = "--fraction", paramLabel = "F", defaultValue = "" + AnalysisSettings.DEFAULT_FRACTION,
            description = "Share of a run's total held-out loss improvement that epochs_to_fraction waits for, "
                    + "in (0, 1] (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--baseline", paramLabel = "KEY=VALUE",
            description = "With a sweep: compare every setting with the setting whose configuration has KEY=VALUE "
                    + "(a swept or base key, e.g. network.variant=dense), replica by replica (table paired_differences).")
    String baseline;

    @Option(names = "--groups", paramLabel = "FILE",
            description = "A study: a CSV file with the header run_id,group,replica[,baselines] naming each run's group "
                    + "and replica, and optionally the groups (separated by ;) each group is compared with. Online runs: "
                    + "tables online_summary, online_task_statistics and plots per task; runs of offline streams: tables "
                    + "continual_summary, continual_task_statistics and a plot of final accuracy per task.")
    String groups;

    @Option(names = "--baseline-group", paramLabel = "NAME",
            description = "With --groups: compare every group with this one, replica by replica (tables "
                    + "online_paired_differences, continual_paired_differences), besides the file's baselines.")
    String baselineGroup;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else "
                    + JobOptions.DEFAULT_MASTER + ").")
    String master;

    @Option(names = "--overwrite", description = "Replace an existing output folder once the job succeeds.")
    boolean overwrite;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Storage storage = Storage.beforeSpark();
        Location input = JobOptions.locate(storage, "--in", in);
        if (baselineGroup != null && groups == null) {
            throw new InvalidInputException("--baseline-group " + baselineGroup + " needs --groups FILE naming the runs' groups");
        }
        Optional<StudyGroups> study = Optional.ofNullable(groups).map(g -> StudyGroups.read(storage,
                JobOptions.locate(storage, "--groups", g), Optional.ofNullable(baselineGroup)));
        AnalysisSettings settings = AnalysisSettings.of(storage, input, fraction,
                Optional.ofNullable(baseline).map(Baseline::parse), study);
        OutputFolder folder = OutputFolder.prepare(storage, out != null ? JobOptions.locate(storage, "--out", out)
                : input.resolve(AnalysisSettings.DEFAULT_FOLDER), overwrite);
        AnalysisSummary summary;
        try {
            SparkSession spark = JobOptions.startSpark("analyze", master);
            try {
                summary = AnalyzeJob.run(settings, spark, folder.staging());
            } finally {
                spark.stop();
            }
            folder.commit();
        } catch (RuntimeException | Error e) {
            folder.abandon();
            throw e;
        }
        PrintWriter console = spec.commandLine().getOut();
        console.println(summary.describe());
        console.println("results in " + folder.target() + " (open " + AnalyzeJob.REPORT + ")");
        return 0;
    }
}
