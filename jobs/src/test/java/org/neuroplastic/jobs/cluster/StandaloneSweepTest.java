package org.neuroplastic.jobs.cluster;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.Neuroplastic;
import org.neuroplastic.jobs.cluster.StandaloneCluster.Submission;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A parallel sweep submitted to a real standalone cluster spreads its trials over both executors. */
@Tag("cluster")
class StandaloneSweepTest {

    private static final Pattern TRIAL = Pattern.compile("^trial (t\\d{4}) completed after 3 epochs on executor (\\S+):",
            Pattern.MULTILINE);

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void parallelSweepTrainsItsTrialsOnMoreThanOneExecutor() throws Exception {
        Path sweep = Files.writeString(temp.resolve("sweep.yaml"), """
                base:
                  data: {format: synthetic, generator: regression, rows: 3000, partitions: 2, seed: 5}
                  network:
                    n_in: 10
                    hidden: [{size: 16, activation: relu, plasticity: {hebbian: {enabled: true, rule: oja, eta: 0.01}}}]
                  training: {batch_size_per_worker: 16, epochs: 3}
                method: grid
                parameters:
                  network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.01, 0.1]}
                replicas: 2
                mode: parallel
                """);
        Path out = temp.resolve("sweep-out");
        try (StandaloneCluster cluster = StandaloneCluster.start()) {
            Submission run = cluster.submit(Neuroplastic.class.getName(), applicationJar(), "sweep",
                    "--config", sweep.toString(), "--out", out.toString());
            assertThat(run.exitCode()).as(run.outputTail()).isZero();
            List<String> executors = TRIAL.matcher(run.output()).results().map(m -> m.group(2)).toList();
            assertThat(executors).as(run.outputTail()).hasSize(6);
            Set<String> distinct = executors.stream().collect(Collectors.toSet());
            assertThat(distinct).as(run.outputTail()).hasSizeGreaterThan(1).doesNotContain("driver");
        }
        assertThat(out.resolve("trials")).isDirectory();
    }

    /** The packaged application jar beside target/lib. */
    private static Path applicationJar() throws Exception {
        Path target = Path.of(System.getProperty(StandaloneCluster.RUNTIME_CLASSPATH_PROPERTY)).getParent();
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "neuroplastic-jobs-*-app.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars).as("one application jar in " + target + "; run mvn package first").hasSize(1);
        return jars.get(0);
    }
}
