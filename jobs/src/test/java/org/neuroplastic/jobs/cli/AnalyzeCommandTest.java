package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.analyze.AnalysisFixture;
import org.neuroplastic.jobs.analyze.ReplicaFixture;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code neuroplastic analyze}: the conventions of the other jobs without a configuration file. */
class AnalyzeCommandTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of((Object[]) args);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void helpNamesTheOptions() {
        CommandRun help = run("analyze", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--in", "--out", "--fraction", "--baseline", "--master", "--overwrite");
        assertThat(run("--help").out()).contains("analyze");
    }

    @Test
    void badInputIsOneLineWithExitCodeTwoAndCreatesNothing() throws IOException {
        CommandRun noIn = run("analyze");
        assertThat(noIn.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(noIn.errLines()).containsExactly("error: Missing required option: '--in=DIR' (see: neuroplastic analyze --help)");

        Path missing = dir.resolve("missing");
        CommandRun notAFolder = run("analyze", "--in", missing.toString());
        assertThat(notAFolder.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(notAFolder.errLines()).containsExactly("error: --in " + missing
                + " is not a folder; expected the output folder of a train run or a sweep");

        Path results = Files.createDirectories(dir.resolve("results").resolve("runs"));
        CommandRun uncommitted = run("analyze", "--in", results.getParent().toString());
        assertThat(uncommitted.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(uncommitted.errLines()).containsExactly("error: --in " + results.getParent() + " holds no committed "
                + "results (no _COMMITTED): the job writing it has not finished, or it failed");
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(results.getParent()));
        CommandRun fraction = run("analyze", "--in", results.getParent().toString(), "--fraction", "1.5");
        assertThat(fraction.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(fraction.errLines()).containsExactly("error: --fraction must be in (0, 1], found 1.5");
        assertThat(names(results.getParent())).containsExactly("_COMMITTED", "runs");

        Path existing = Files.createDirectories(dir.resolve("existing"));
        CommandRun refused = run("analyze", "--in", results.getParent().toString(), "--out", existing.toString());
        assertThat(refused.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(refused.errLines()).containsExactly("error: --out " + existing
                + " already exists; choose another folder or pass --overwrite");
    }

    @Test
    void analysisGoesToInAnalysisByDefault() throws IOException {
        Path in = dir.resolve("train-run");
        SparkSession spark = LocalSpark.start("local[2]", "analyze-command-test");
        try {
            AnalysisFixture.write(spark, in, false);
        } finally {
            spark.stop();
        }
        CommandRun result = run("analyze", "--in", in.toString(), "--master", "local[2]");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("analysed 4 runs: 4 tables, 3 plots", "results in " + in.resolve("analysis"));
        assertThat(names(in)).containsExactly("_COMMITTED", "analysis", "evaluations", "runs", "trajectories");
        assertThat(names(in.resolve("analysis"))).contains("_COMMITTED");
        assertThat(names(in.resolve("analysis"))).contains("report.html", "analysis.yaml", "ranking", "ranking.csv", "plots");
    }

    @Test
    void aBaselineThatMatchesNoTrialIsOneLineWithExitCodeTwoAndWritesNothing() throws IOException {
        Path in = dir.resolve("sweep");
        SparkSession spark = LocalSpark.start("local[2]", "analyze-command-test");
        try {
            ReplicaFixture.write(spark, in);
        } finally {
            spark.stop();
        }
        FolderSnapshot before = FolderSnapshot.of(dir);
        run("analyze", "--in", in.toString(), "--master", "local[2]", "--baseline", "network.variant=resnet")
                .assertRejected(before, "--baseline network.variant=resnet matches no trial: network.variant takes the values "
                        + "dense, plastic, sparse");
        run("analyze", "--in", in.toString(), "--baseline", "dense")
                .assertRejected(before, "--baseline must be key=value", "found dense");

        CommandRun compared = run("analyze", "--in", in.toString(), "--master", "local[2]", "--baseline", "network.variant=dense");
        assertThat(compared.code()).as(compared.err()).isZero();
        assertThat(names(in.resolve("analysis"))).contains("paired_differences", "paired_differences.csv",
                "replica_statistics", "replica_statistics.csv");
    }
}
