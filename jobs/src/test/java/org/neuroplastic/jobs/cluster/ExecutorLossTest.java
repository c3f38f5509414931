package org.neuroplastic.jobs.cluster;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.RunOutput;
import org.neuroplastic.jobs.cluster.StandaloneCluster.Submission;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executor loss inside an epoch: on a real standalone cluster (a Master and two Workers of one core, each
 * in its own JVM), one executor JVM is killed with SIGKILL once the first epoch's checkpoint exists, i.e.
 * while the second (last) epoch's rounds run. The job still completes, and its trajectory holds exactly the rows
 * of an uninterrupted run of the same configuration: one row per (task, epoch, round, step, worker,
 * layer), none lost, none twice, with the same losses.
 */
@Tag("cluster")
class ExecutorLossTest {

    private static final String MAIN_CLASS = "org.neuroplastic.jobs.cli.Neuroplastic";
    /** About 2 x 600 training rows in minibatches of 16, 2 per round: about 19 rounds and 185 rows per epoch. */
    private static final String CONFIG = """
            data: {format: synthetic, generator: regression, rows: 1500, partitions: 2, seed: 7, test_fraction: 0.2}
            network:
              n_in: 10
              hidden:
                - size: 24
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.01, alpha: free, alpha_init: 0.01}
                    structural: {enabled: true, density: 0.5, zeta: 0.1, rewire_every: 20, regrowth: hebbian}
              output: {activation: identity, loss: mse}
              updater: {name: adam, learning_rate: 0.003}
              seed: 7
            training: {workers: 2, batch_size_per_worker: 16, averaging_frequency: 2, epochs: 2,
                       save_updater: true, averaging: resident, trajectories: true}
            """;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void aRunThatLosesAnExecutorMidEpochWritesTheSameRowsAsAnUninterruptedOne() throws Exception {
        Path config = Files.writeString(temp.resolve("executor-loss.yaml"), CONFIG).toAbsolutePath();
        Path uninterrupted = temp.resolve("uninterrupted").toAbsolutePath();
        Path interrupted = temp.resolve("interrupted").toAbsolutePath();
        Path appJar = ClusterApplication.jar();
        long killed;
        Submission run;
        try (StandaloneCluster cluster = StandaloneCluster.start()) {
            Submission clean = cluster.submit(MAIN_CLASS, appJar, "train", "--config", config.toString(),
                    "--out", uninterrupted.toString());
            assertThat(clean.exitCode()).as(clean.outputTail()).isZero();

            CompletableFuture<Submission> submission = CompletableFuture.supplyAsync(() -> submit(cluster, appJar,
                    config, interrupted));
            awaitFirstCheckpoint(interrupted, submission, Duration.ofMinutes(12));
            ProcessHandle executor = cluster.processes().stream()
                    .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .findFirst().orElseThrow(() -> new AssertionError("no executor JVM runs"));
            killed = executor.pid();
            executor.destroyForcibly();
            executor.onExit().get(1, TimeUnit.MINUTES);
            run = submission.get(12, TimeUnit.MINUTES);
        }
        assertThat(run.exitCode()).as("exit code after executor %d was killed: %s", killed, run.outputTail()).isZero();
        assertThat(run.output()).as(run.outputTail()).contains("results in " + interrupted)
                .as("the driver saw the executor go").contains("Lost executor");

        SparkSession spark = LocalSpark.start("local[1]", "executor-loss-check");
        try {
            Map<String, Double> expected = RunOutput.lossByKey(spark, uninterrupted);
            Map<String, Double> actual = RunOutput.lossByKey(spark, interrupted);
            assertThat(expected).as("rows of the uninterrupted run").hasSizeGreaterThan(300);
            assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(actual).as("loss of every row").isEqualTo(expected);
            assertThat(RunOutput.finalTestLoss(spark, interrupted)).isEqualTo(RunOutput.finalTestLoss(spark, uninterrupted));
        } finally {
            spark.stop();
        }
    }

    private static Submission submit(StandaloneCluster cluster, Path appJar, Path config, Path out) {
        try {
            return cluster.submit(MAIN_CLASS, appJar, "train", "--config", config.toString(), "--out", out.toString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the run's staging folder holds the checkpoint of epoch 1: epoch 2 is starting. */
    private static void awaitFirstCheckpoint(Path out, CompletableFuture<Submission> submission, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (submission.isDone()) {
                throw new AssertionError("the run ended before its first checkpoint: " + submission.join().outputTail());
            }
            try (DirectoryStream<Path> stagings = Files.newDirectoryStream(out.getParent(),
                    "." + out.getFileName() + ".staging*")) {
                for (Path staging : stagings) {
                    if (Files.exists(staging.resolve("checkpoints").resolve("epoch-001.zip"))) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint of epoch 1 under " + out.getParent() + " within " + timeout);
    }

    /** The shaded application jar that {@code package} writes beside target/lib. */
    static final class ClusterApplication {
        private ClusterApplication() {
        }

        static Path jar() throws IOException {
            Path target = Path.of(System.getProperty(StandaloneCluster.RUNTIME_CLASSPATH_PROPERTY)).getParent();
            try (Stream<Path> files = Files.list(target)) {
                List<Path> jars = files.filter(f -> f.getFileName().toString().matches("neuroplastic-jobs-.*-app\\.jar"))
                        .toList();
                assertThat(jars).as("application jars in %s (run `mvn package` first)", target).hasSize(1);
                return jars.get(0).toAbsolutePath();
            }
        }
    }
}
