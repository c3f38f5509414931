package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SweepCommandTest {

    @TempDir
    Path dir;

    private static CommandRun run(Object... args) {
        return CommandRun.of(args);
    }

    private static final String SWEEP = """
            base:
              data: {format: synthetic, generator: regression, rows: 120, partitions: 2, seed: 1}
              network:
                n_in: 10
                hidden: [{size: 4, activation: relu, plasticity: {hebbian: {enabled: true, rule: oja, eta: 0.01}}}]
              training: {batch_size_per_worker: 30, epochs: 1}
            method: grid
            parameters:
              network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.1]}
            """;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("sweep.yaml"), text);
    }

    private void assertBadInput(String text, String message) throws IOException {
        Path out = dir.resolve("out");
        CommandRun result = run("sweep", "--config", write(text), "--out", out, "--master", "local[2]");
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.err().lines()).hasSize(1).first().asString().startsWith("error: ").contains(message);
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("sweep.yaml");
        }
    }

    @Test
    void helpListsTheJobOptionsAndResume() {
        CommandRun help = run("sweep", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--config", "--set", "--out", "--master", "--overwrite", "--resume");
    }

    @Test
    void invalidSweepFilesGetOneLineAndNoOutput() throws IOException {
        assertBadInput(SWEEP + "learning: fast\n", "unknown key learning");
        assertBadInput(SWEEP.replace("[0.001, 0.1]", "[]"), "values must be a non-empty list, found an empty list");
        assertBadInput(SWEEP.replace("method: grid", "method: random\ncount: 3")
                .replace("{values: [0.001, 0.1]}", "{distribution: uniform, min: 0.2, max: 0.1}"), "min must be <= max");
        assertBadInput(SWEEP.replace("method: grid", "method: random\ncount: 3")
                        .replace("network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.1]}",
                                "network.hidden.0.plasticity.hebbian.rule: {distribution: uniform, min: 0, max: 1}"),
                "needs a numeric key");
        assertBadInput(SWEEP.replace("[0.001, 0.1]", "[0.001, -3]"), "trial t0001");
    }

    @Test
    void resumeNeedsOutAndExcludesOverwriteAndAnExistingOutNeedsOneOfThem() throws IOException {
        Path sweep = write(SWEEP);
        assertThat(run("sweep", "--config", sweep, "--resume").err()).contains("--resume needs --out");
        Path out = Files.createDirectories(dir.resolve("existing"));
        CommandRun refused = run("sweep", "--config", sweep, "--out", out);
        assertThat(refused.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(refused.err()).contains("already exists").contains("--resume");
        assertThat(run("sweep", "--config", sweep, "--out", out, "--resume", "--overwrite").err())
                .contains("exclude each other");
        assertThat(run("train", "--config", sweep, "--out", out, "--resume", "--overwrite").err())
                .contains("exclude each other");
    }

    @Test
    void aSweepRunsAndResumingAFinishedSweepRunsNothingAgain() throws IOException {
        Path sweep = write(SWEEP);
        Path out = dir.resolve("sweep-out");
        CommandRun first = run("sweep", "--config", sweep, "--out", out, "--master", "local[2]");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("2 trials, 2 completed, 0 stopped, 0 failed");
        assertThat(out.resolve("trials")).isDirectory();
        assertThat(out.resolve("config.yaml")).content().contains("hebbian").contains("method: grid");

        CommandRun resumed = run("sweep", "--config", sweep, "--out", out, "--master", "local[2]", "--resume");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("2 trials, 2 completed");

        CommandRun changed = run("sweep", "--config", write(SWEEP.replace("0.1]", "0.2]")), "--out", out, "--resume");
        assertThat(changed.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(changed.err()).contains("holds a different sweep");
        assertThat(out.resolve("trials")).isDirectory();
    }
}
