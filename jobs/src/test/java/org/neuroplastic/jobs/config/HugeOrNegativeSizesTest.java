package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.CommandRun;
import org.neuroplastic.jobs.cli.FolderSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sizes that are negative, beyond an int, or so large that the job would exhaust memory or disk before
 * failing (TrainingSettings, NetworkConfig, GenerateConfig): each is refused from the command line before
 * Spark starts, with exit code 2, one line naming the key and the range, and no output.
 */
class HugeOrNegativeSizesTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");

    @TempDir
    Path dir;

    private void assertTrainRejected(String set, String... expected) {
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", QUICKSTART, "--set", set, "--out", dir.resolve("out"))
                .assertRejected(before, expected);
    }

    private void assertGenerateRejected(String set, String... expected) throws IOException {
        Path config = Files.writeString(dir.resolve("g.yaml"), "generator: regression\n");
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("generate", "--config", config, "--set", set, "--out", dir.resolve("out"))
                .assertRejected(before, expected);
    }

    @Test
    void negativeEpochs() {
        assertTrainRejected("training.epochs=-3", "--set training.epochs=-3: training.epochs must be >= 1, found -3");
    }

    @Test
    void epochsBeyondAnInteger() {
        assertTrainRejected("training.epochs=1000000000000",
                "--set training.epochs=1000000000000: training.epochs must be an integer, found 1000000000000");
    }

    @Test
    void zeroOrNegativeBatchSize() {
        assertTrainRejected("training.batch_size_per_worker=0",
                "--set training.batch_size_per_worker=0: training.batch_size_per_worker must be >= 1, found 0");
    }

    @Test
    void moreWorkersThanAClusterHasPartitionsFor() {
        assertTrainRejected("training.workers=2000000000",
                "--set training.workers=2000000000: training.workers must be at most 10000, found 2000000000");
    }

    @Test
    void hiddenLayerOfABillionUnits() {
        assertTrainRejected("network.hidden.0.size=1000000000",
                "--set network.hidden.0.size=1000000000: network.hidden[0].size 1000000000 makes the layers up to it hold "
                        + "11000000000 weights, more than the 100000000 a network may have");
    }

    @Test
    void negativeHiddenLayerSize() {
        assertTrainRejected("network.hidden.1.size=-16",
                "--set network.hidden.1.size=-16: network.hidden[1].size must be >= 1, found -16");
    }

    @Test
    void inputCountBeyondAnyDataSet() {
        assertTrainRejected("network.n_in=2000000000",
                "--set network.n_in=2000000000: network.n_in must be in [1, 100000] or auto, found 2000000000");
    }

    @Test
    void generateATrillionRows() throws IOException {
        assertGenerateRejected("rows=1000000000000",
                "--set rows=1000000000000: rows must be in [1, 1000000000], found 1000000000000");
    }

    @Test
    void generateNegativeRows() throws IOException {
        assertGenerateRejected("rows=-5", "--set rows=-5: rows must be in [1, 1000000000], found -5");
    }

    @Test
    void generateIntoTwoBillionPartitions() throws IOException {
        assertGenerateRejected("partitions=2000000000",
                "--set partitions=2000000000: partitions must be in [1, 100000], found 2000000000");
    }

    @Test
    void syntheticTrainingDataOfATrillionRows() {
        assertTrainRejected("data.rows=1000000000000",
                "--set data.rows=1000000000000: data.rows must be in [1, 1000000000], found 1000000000000");
    }
}
