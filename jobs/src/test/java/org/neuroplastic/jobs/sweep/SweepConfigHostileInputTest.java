package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.CommandRun;
import org.neuroplastic.jobs.cli.FolderSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sweep files with parameter ranges, counts or schedules no sweep can run (SweepConfig, Distribution,
 * EarlyStop), through the command line: exit code 2, one line naming the key and the range expected, and
 * no output folder. SweepCommandTest covers min > max, an empty values list, a distribution over text and
 * an invalid trial.
 */
class SweepConfigHostileInputTest {

    private static final String ETA = "network.hidden.0.plasticity.hebbian.eta";

    @TempDir
    Path dir;

    private void assertRejected(String rest, String... expected) throws IOException {
        Path sweep = Files.writeString(dir.resolve("sweep.yaml"), SweepFiles.BASE + rest);
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("sweep", "--config", sweep, "--out", dir.resolve("out"), "--master", "local[2]")
                .assertRejected(before, expected);
    }

    private String sweep() {
        return dir.resolve("sweep.yaml").toString();
    }

    @Test
    void logUniformFromZero() throws IOException {
        assertRejected("method: random\ncount: 2\nparameters:\n  " + ETA + ": {distribution: log_uniform, min: 0, max: 0.1}\n",
                sweep() + ": parameters." + ETA + ": min must be > 0 for log_uniform, found 0.0");
    }

    @Test
    void intUniformBeyondTheIntegersADoubleHolds() throws IOException {
        assertRejected("method: random\ncount: 2\nparameters:\n  network.seed: {distribution: int_uniform, min: 0, max: 1e19}\n",
                sweep() + ": parameters.network.seed: min and max must be integers in [-2^53, 2^53] for int_uniform, "
                        + "found 0.0 and 1.0E19");
    }

    @Test
    void uniformWiderThanTheDoubles() throws IOException {
        assertRejected("method: random\ncount: 2\nparameters:\n  " + ETA + ": {distribution: uniform, min: -1e308, max: 1e308}\n",
                sweep() + ": parameters." + ETA + ": max - min must be a finite number for uniform");
    }

    @Test
    void infiniteBound() throws IOException {
        assertRejected("method: random\ncount: 2\nparameters:\n  " + ETA + ": {distribution: uniform, min: 0, max: 1e400}\n",
                sweep() + ": ");
    }

    @Test
    void randomCountBeyondAnInteger() throws IOException {
        assertRejected("method: random\ncount: 1000000000000\nparameters:\n  " + ETA + ": {values: [0.1]}\n",
                sweep() + ": count must be an integer, found 1000000000000");
    }

    @Test
    void moreTrialsThanASweepMayHave() throws IOException {
        assertRejected("method: random\ncount: 1000\nreplicas: 11\nparameters:\n  " + ETA + ": {values: [0.1]}\n",
                sweep() + ": the sweep has 1000 settings x 11 replicas, more than the 10000 trials a sweep may have");
    }

    @Test
    void negativeReplicas() throws IOException {
        assertRejected("method: grid\nreplicas: -1\nparameters:\n  " + ETA + ": {values: [0.1]}\n",
                sweep() + ": replicas must be >= 1, found -1");
    }

    @Test
    void earlyStopWithMoreRungsThanEpochsCanReach() throws IOException {
        assertRejected("method: grid\nparameters:\n  " + ETA + ": {values: [0.1]}\nearly_stop: {rungs: 2147483647}\n",
                sweep() + ": early_stop.rungs must be at most 31 with min_epochs 1 and reduction_factor 2");
    }

    @Test
    void baseFileThatDoesNotExist() throws IOException {
        Path sweep = Files.writeString(dir.resolve("sweep.yaml"),
                "base: missing.yaml\nmethod: grid\nparameters:\n  training.epochs: {values: [1]}\n");
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("sweep", "--config", sweep, "--out", dir.resolve("out"))
                .assertRejected(before, sweep + ": base names " + dir.resolve("missing.yaml") + ", which does not exist");
    }
}
