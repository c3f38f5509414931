package org.neuroplastic.jobs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parallelism} on the command line: the refusal, and a committed sweep without its data files. */
class SweepParallelismCommandTest {

    @TempDir
    Path dir;

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

    @Test
    void parallelismAboveTheTrialCountIsRefusedInOneLineNamingKeyValueAndLimit() throws Exception {
        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), SWEEP + "parallelism: 3\n");
        Path out = dir.resolve("out");
        CommandRun result = CommandRun.of("sweep", "--config", sweep, "--out", out, "--master", "local[2]");
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.err().lines()).hasSize(1).first().asString().startsWith("error: ")
                .contains("parallelism must be between 1 and the sweep's 2 trials (or slots, the cluster's task slots), found 3");
        assertThat(out).doesNotExist();
    }

    @Test
    void theCommittedSweepNamesNoDataFileAndPrintsItsTiming() throws Exception {
        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), SWEEP + "parallelism: 1\n");
        Path out = dir.resolve("out");
        CommandRun result = CommandRun.of("sweep", "--config", sweep, "--out", out, "--master", "local[2]");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("2 trials, 2 completed").contains("2 trials run in").contains("per minute")
                .contains("summed wall_seconds").contains("fixed_seconds");
        assertThat(out.resolve("_COMMITTED")).content().doesNotContain("data-").doesNotContain(".staging");
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.map(p -> out.relativize(p).toString())).noneMatch(p -> p.contains("data-"));
        }
        assertThat(out.resolve("config.yaml")).content().contains("parallelism: 1");
        CommandRun analyzed = CommandRun.of("analyze", "--in", out);
        assertThat(analyzed.code()).as(analyzed.err()).isZero();
    }
}
