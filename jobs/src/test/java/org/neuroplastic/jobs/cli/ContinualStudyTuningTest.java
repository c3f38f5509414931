package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/continual-study --tune: the choosing step (bin/lib/choose-strength.awk) on hand-written continual_metrics,
 * the script's refusal of bad grids before it trains or writes anything, and a whole tuned study, interrupted
 * twice and resumed, over a stand-in for bin/neuroplastic (test resource continual-study/neuroplastic, which
 * records each train call's settings and gives the plastic network its best validation ACC at lambda 1e3 and c 10,
 * the dense one at lambda 1e1 and c 0.1).
 */
class ContinualStudyTuningTest {

    private static final String METRICS_HEADER = "run_id,trial_id,status,tasks,tasks_trained,missing_cells,"
            + "average_accuracy,backward_transfer,average_forgetting,validation_average_accuracy,"
            + "validation_backward_transfer,validation_average_forgetting\n";

    /** One continual_metrics row: test ACC and validation ACC given, the rest as analyze writes them. */
    private static String metric(String run, String testAccuracy, String validationAccuracy) {
        return run + ",,completed,5,5,0," + testAccuracy + ",-0.1,0.1," + validationAccuracy + ",-0.1,0.1\n";
    }

    private record Result(int exitCode, String output, String errors) {}

    private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        return run(dir, command, "0");
    }

    private static Result run(Path dir, List<String> command, String failAt) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        builder.environment().put("FAKE_FAIL_AT", failAt);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
    }

    private static Result choose(Path dir, String metrics, String trials, String grids, int replicas)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve("metrics.csv"), METRICS_HEADER + metrics);
        Files.writeString(dir.resolve("trials.csv"), "run_id,method,variant,value,replica\n" + trials);
        Path awk = Path.of("..", "bin", "lib", "choose-strength.awk").toAbsolutePath();
        return run(dir, List.of("awk", "-F,", "-v", "trials=trials.csv", "-v", "metrics=metrics.csv", "-v",
                "grids=" + grids, "-v", "variants=plastic dense", "-v", "replicas=" + replicas, "-v",
                "choice=choice.csv", "-f", awk.toString(), "/dev/null"));
    }

    @Test
    void choosesPerVariantTheValueWithTheHighestMeanValidationAccuracyNeverTheTestOne(@TempDir Path dir)
            throws Exception {
        // Plastic: lambda 1e1 has validation ACC 0.50 and 0.60 (mean 0.55), 1e9 has 0.70 and 0.62 (mean 0.66):
        // 1e9, though 1e1's test ACC (0.9) is the higher. Dense: 1e1 mean 0.40, 1e9 mean 0.25: 1e1.
        // SI, c 0.1 and 1 both mean 0.45 on each variant: the tie goes to the first of the grid.
        String metrics = metric("p1a", "0.9", "0.50") + metric("p1b", "0.9", "0.60")
                + metric("p9a", "0.1", "0.70") + metric("p9b", "0.1", "0.62")
                + metric("d1a", "0.1", "0.30") + metric("d1b", "0.1", "0.50")
                + metric("d9a", "0.9", "0.20") + metric("d9b", "0.9", "0.30")
                + metric("sp1a", "0.5", "0.40") + metric("sp1b", "0.5", "0.50")
                + metric("sp2a", "0.5", "0.45") + metric("sp2b", "0.5", "0.45")
                + metric("sd1a", "0.5", "0.45") + metric("sd1b", "0.5", "0.45")
                + metric("sd2a", "0.5", "0.44") + metric("sd2b", "0.5", "0.46");
        String trials = "p1a,ewc,plastic,1e1,5\np1b,ewc,plastic,1e1,6\np9a,ewc,plastic,1e9,5\np9b,ewc,plastic,1e9,6\n"
                + "d1a,ewc,dense,1e1,5\nd1b,ewc,dense,1e1,6\nd9a,ewc,dense,1e9,5\nd9b,ewc,dense,1e9,6\n"
                + "sp1a,si,plastic,0.1,5\nsp1b,si,plastic,0.1,6\nsp2a,si,plastic,1,5\nsp2b,si,plastic,1,6\n"
                + "sd1a,si,dense,0.1,5\nsd1b,si,dense,0.1,6\nsd2a,si,dense,1,5\nsd2b,si,dense,1,6\n";

        Result result = choose(dir, metrics, trials, "ewc=1e1 1e9;si=0.1 1", 2);

        assertThat(result.exitCode()).as(result.errors()).isZero();
        assertThat(Files.readString(dir.resolve("choice.csv"))).isEqualTo("method,variant,value\n"
                + "ewc,plastic,1e9\newc,dense,1e1\nsi,plastic,0.1\nsi,dense,0.1\n");
        assertThat(result.output()).contains("| ewc | plastic | 4 | 1e1: 0.550, 1e9: 0.660 | lambda = 1e9 |",
                "| ewc | dense | 4 | 1e1: 0.400, 1e9: 0.250 | lambda = 1e1 |",
                "| si | plastic | 4 | 0.1: 0.450, 1: 0.450 | c = 0.1 |");
    }

    @Test
    void aValueWithoutValidationAccuracyInSomeTrialIsNotChosen(@TempDir Path dir) throws Exception {
        // lambda 1e9 diverged in one trial (null validation ACC): its other trial's 0.9 does not make it chosen.
        String metrics = metric("p1a", "0.5", "0.40") + metric("p1b", "0.5", "0.40")
                + metric("p9a", "0.5", "") + metric("p9b", "0.5", "0.90")
                + metric("d1a", "0.5", "0.40") + metric("d1b", "0.5", "0.40")
                + metric("d9a", "0.5", "0.30") + metric("d9b", "0.5", "0.30");
        String trials = "p1a,ewc,plastic,1e1,5\np1b,ewc,plastic,1e1,6\np9a,ewc,plastic,1e9,5\np9b,ewc,plastic,1e9,6\n"
                + "d1a,ewc,dense,1e1,5\nd1b,ewc,dense,1e1,6\nd9a,ewc,dense,1e9,5\nd9b,ewc,dense,1e9,6\n";

        Result result = choose(dir, metrics, trials, "ewc=1e1 1e9", 2);

        assertThat(result.exitCode()).as(result.errors()).isZero();
        assertThat(result.output()).contains("| ewc | plastic | 4 | 1e1: 0.400, 1e9: - | lambda = 1e1 |");
        assertThat(Files.readString(dir.resolve("choice.csv"))).contains("ewc,plastic,1e1\n");
    }

    @Test
    void aVariantWithFewerTrialsThanTheOtherIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        // The dense network's second seed of lambda 1e9 is missing: its mean would rest on fewer trials.
        String metrics = metric("p1a", "0.5", "0.40") + metric("p1b", "0.5", "0.40")
                + metric("p9a", "0.5", "0.50") + metric("p9b", "0.5", "0.50")
                + metric("d1a", "0.5", "0.40") + metric("d1b", "0.5", "0.40") + metric("d9a", "0.5", "0.90");
        String trials = "p1a,ewc,plastic,1e1,5\np1b,ewc,plastic,1e1,6\np9a,ewc,plastic,1e9,5\np9b,ewc,plastic,1e9,6\n"
                + "d1a,ewc,dense,1e1,5\nd1b,ewc,dense,1e1,6\nd9a,ewc,dense,1e9,5\n";

        Result result = choose(dir, metrics, trials, "ewc=1e1 1e9", 2);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errors().lines()).containsExactly(
                "continual-study: tuning: dense-ewc lambda = 1e9 has 1 trials, expected 2");
        assertThat(dir.resolve("choice.csv")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ewc-grid abc", "--ewc-grid -1", "--ewc-grid 1e3,-1e5", "--si-grid 0",
        "--si-grid 0.1,,1", "--ewc-grid 1e3,1000", "--ewc-grid"})
    void aBadGridFailsInOneLineWithExitCodeTwoAndNoOut(String option, @TempDir Path dir) throws Exception {
        Path script = Path.of("..", "bin", "continual-study").toAbsolutePath();
        Path config = Path.of("..", "conf", "continual-learning.yaml").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), config.toString(),
                dir.resolve("out").toString(), "--tune"));
        command.addAll(List.of(option.split(" ")));

        Result result = run(dir, command);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).isEmpty();
        assertThat(result.errors().lines()).singleElement().asString().startsWith("continual-study: --");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /**
     * A checkout of the scripts with the stand-in for bin/neuroplastic, continual-learning.yaml, and a git
     * repository (the study prints the commit it runs at).
     */
    private static void checkout(Path root) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(root.resolve("bin/lib"));
        for (String file : List.of("continual-study", "lib/joined-runs.sh", "lib/choose-strength.awk")) {
            Files.copy(Path.of("..", "bin", file), root.resolve("bin").resolve(file));
        }
        Files.copy(Path.of("src/test/resources/continual-study/neuroplastic"), bin.resolveSibling("neuroplastic"));
        Files.createDirectories(root.resolve("conf"));
        Files.copy(Path.of("..", "conf", "continual-learning.yaml"), root.resolve("conf/continual-learning.yaml"));
        assertThat(run(root, List.of("git", "init", "-q")).exitCode()).isZero();
        assertThat(run(root, List.of("git", "-c", "user.name=test", "-c", "user.email=test@example.org", "commit",
                "-q", "--allow-empty", "-m", "test")).exitCode()).isZero();
    }

    @Test
    void aStudyWithTheParameterMatchedBaselineComparesThePlasticNetworkWithItInASecondTable(@TempDir Path root)
            throws Exception {
        checkout(root);
        List<String> study = List.of("bash", "bin/continual-study", "conf/continual-learning.yaml", "out", "--seeds",
                "1", "--methods", "naive,ewc", "--variants", "plastic,dense,dense_matched");
        Files.writeString(root.resolve("summary.csv"), """
                plastic-naive,average_accuracy,1,0.5,,,
                dense_matched-naive,average_accuracy,1,0.25,,,
                dense_matched-naive,average_forgetting,1,0.75,,,
                dense_matched-ewc,average_accuracy,1,0.625,,,
                """);
        Files.writeString(root.resolve("paired.csv"), """
                plastic-naive,dense_matched-naive,average_accuracy,1,0.25,,,
                dense_matched-ewc,dense_matched-naive,average_accuracy,1,0.375,,,
                """);

        Result finished = run(root, study);

        assertThat(finished.exitCode()).as(finished.errors()).isZero();
        List<String> groups = Files.readAllLines(root.resolve("out/groups.csv"));
        assertThat(groups).hasSize(1 + 6)
                .anyMatch(line -> line.matches("[^,]+,plastic-ewc,0,dense-ewc;dense_matched-ewc;plastic-naive"))
                .anyMatch(line -> line.matches("[^,]+,dense_matched-ewc,0,dense_matched-naive"));
        assertThat(Files.readString(root.resolve("calls.log"))).contains("network.variant=dense_matched");
        assertThat(finished.output()).contains(
                "| method | seeds | dense_matched ACC | plastic - dense_matched ACC | dense_matched F | dense_matched ACC - naive |",
                "| naive | 1 | 0.250 | 0.250 | 0.750 | (baseline) |",
                "| ewc | 1 | 0.625 | - | - | 0.375 |");
    }

    @Test
    void aTunedStudyUsesEachVariantsChoiceAndAResumedOneKeepsItsTuningRunsAndChoice(@TempDir Path root)
            throws Exception {
        checkout(root);
        List<String> study = List.of("bash", "bin/continual-study", "conf/continual-learning.yaml", "out", "--seeds",
                "1", "--methods", "naive,ewc,si", "--variants", "plastic,dense", "--tune", "--ewc-grid", "1e1,1e3",
                "--si-grid", "0.1,10");
        List<String> resumed = new ArrayList<>(study);
        resumed.add("--resume");

        // Stopped at the 5th tuning run (of 16), then at the 2nd study run (of 6), then finished.
        assertThat(run(root, study, "5").exitCode()).isEqualTo(1);
        assertThat(run(root, resumed, "19").exitCode()).isEqualTo(1);
        Result finished = run(root, resumed, "0");

        assertThat(finished.exitCode()).as(finished.errors()).isZero();
        List<String> trials = Files.readAllLines(root.resolve("out/tuning/trials.csv"));
        assertThat(trials).hasSize(17).contains("run1,ewc,plastic,1e1,1", "run4,ewc,dense,1e3,1");
        assertThat(trials).filteredOn(line -> line.contains(",plastic,")).hasSize(8);
        assertThat(trials).filteredOn(line -> line.contains(",dense,")).hasSize(8);
        assertThat(Files.readString(root.resolve("out/tuning/choice.csv"))).isEqualTo(
                "method,variant,value\newc,plastic,1e3\newc,dense,1e1\nsi,plastic,10\nsi,dense,0.1\n");
        List<String> calls = Files.readAllLines(root.resolve("calls.log"));
        assertThat(calls).filteredOn("analyze"::equals).hasSize(1);
        assertThat(calls).filteredOn(call -> call.startsWith("train")).hasSize(24)
                .allMatch(call -> call.endsWith(" data.validation_fraction=0.2"));
        // Tuning on replicas 1 and 2 (network.seed 43, 44), the study on replica 0 (42).
        assertThat(calls).filteredOn(call -> call.contains("network.seed=42"))
                .allMatch(call -> !call.contains("consolidation={") || call.contains("lambda: 1e3")
                        && call.contains("plastic") || call.contains("lambda: 1e1}") && call.contains("dense")
                        || call.contains("c: 10,") && call.contains("plastic")
                        || call.contains("c: 0.1,") && call.contains("dense"))
                .hasSize(7);
        assertThat(calls).filteredOn(call -> call.contains("network.seed=43") || call.contains("network.seed=44"))
                .hasSize(17);
        assertThat(Files.readString(root.resolve("out/study.md"))).contains(
                "chosen per variant on the validation split", "| ewc | plastic | 4 | 1e1: 0.400, 1e3: 0.800 | lambda = 1e3 |",
                "| si | dense | 4 | 0.1: 0.800, 10: 0.400 | c = 0.1 |");
    }
}
