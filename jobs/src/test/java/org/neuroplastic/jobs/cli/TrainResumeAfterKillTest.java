package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.RunOutput;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Driver loss: a train run in a JVM of its own (the application jar on local[2]) is killed with SIGKILL once
 * its second checkpoint exists; its output folder never appears, only its staging folder. {@code train
 * --resume} then ends with exactly the trajectory keys of an uninterrupted run of the same configuration,
 * the same losses, and the same final held-out loss. Slow (three trainings, one a separate JVM): in the
 * cluster group, run by failsafe after {@code package}.
 */
@Tag("cluster")
class TrainResumeAfterKillTest {

    /** About 2 x 240 training rows in minibatches of 16, 2 per round: about 8 rounds per epoch. */
    private static final String CONFIG = TrainResumeTest.SMALL.replace("averaging_frequency: 3, epochs: 3", "averaging_frequency: 2, epochs: 5");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aDriverKilledAfterTwoEpochsResumesToTheRowsAndMetricsOfAnUninterruptedRun() throws Exception {
        assertThat(CONFIG).contains("rows: 600", "epochs: 5");
        Path config = Files.writeString(dir.resolve("small.yaml"), CONFIG).toAbsolutePath();
        Path uninterrupted = dir.resolve("uninterrupted").toAbsolutePath();
        Path killed = dir.resolve("killed").toAbsolutePath();

        CommandRun clean = CommandRun.of("train", "--config", config, "--out", uninterrupted, "--master", "local[2]");
        assertThat(clean.code()).as(clean.err()).isZero();

        Path log = dir.resolve("killed-driver.log");
        Process driver = DriverJvm.start(log, List.of(), "train", "--config", config.toString(), "--out", killed.toString(),
                "--master", "local[2]");
        Path staging;
        try {
            staging = awaitCheckpoint(killed, 2, driver, log, Duration.ofMinutes(8));
        } finally {
            driver.destroyForcibly();
            driver.waitFor(1, TimeUnit.MINUTES);
        }
        assertThat(driver.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(killed).as("a killed run's folder is never visible as complete").doesNotExist();
        assertThat(staging.resolve("model.zip")).as("killed before the end: %s", Files.readString(log)).doesNotExist();

        CommandRun resumed = CommandRun.of("train", "--resume", "--config", config, "--out", killed,
                "--master", "local[2]");

        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(staging).doesNotExist();
        SparkSession spark = LocalSpark.start("local[2]", "resume-after-kill-check");
        try {
            Map<String, Double> expected = RunOutput.lossByKey(spark, uninterrupted);
            Map<String, Double> actual = RunOutput.lossByKey(spark, killed);
            assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(actual).as("loss of every row").isEqualTo(expected);
            assertThat(RunOutput.finalTestLoss(spark, killed)).isEqualTo(RunOutput.finalTestLoss(spark, uninterrupted));
            assertThat(spark.read().parquet(killed.resolve("evaluations").toString()).count()).isEqualTo(5);
        } finally {
            spark.stop();
        }
    }

    /** The run's staging folder, once it holds the checkpoint of {@code epoch}. */
    private static Path awaitCheckpoint(Path out, int epoch, Process driver, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String checkpoint = String.format("epoch-%03d.zip", epoch);
        while (Instant.now().isBefore(deadline)) {
            if (!driver.isAlive()) {
                throw new AssertionError("the driver ended (exit " + driver.exitValue() + ") before checkpoint "
                        + epoch + ": " + Files.readString(log));
            }
            try (DirectoryStream<Path> stagings = Files.newDirectoryStream(out.getParent(),
                    "." + out.getFileName() + ".staging-*")) {
                for (Path staging : stagings) {
                    if (Files.exists(staging.resolve("checkpoints").resolve(checkpoint))) {
                        return staging;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint " + checkpoint + " within " + timeout + ": " + Files.readString(log));
    }
}
