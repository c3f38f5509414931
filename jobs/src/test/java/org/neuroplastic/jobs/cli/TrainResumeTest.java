package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.RunOutput;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.model.network.NetworkFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train --resume}: continuing a killed run's staging folder from its last checkpoint gives exactly
 * the rows and results of an uninterrupted run, and every way there is nothing (good) to resume from is
 * one line, exit 2, nothing changed. The kill is simulated here by turning a finished run back into the
 * staging folder of a run killed after appending epoch 3's rows but before its checkpoint; the real kill
 * of a driver JVM is in TrainResumeAfterKillTest (cluster group).
 */
class TrainResumeTest {

    static final String SMALL = """
            data: {format: synthetic, generator: regression, rows: 600, partitions: 2, seed: 11, test_fraction: 0.2}
            network:
              n_in: 10
              hidden:
                - size: 8
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.01, alpha: free, alpha_init: 0.01}
                    structural: {enabled: true, density: 0.5, zeta: 0.1, rewire_every: 7, regrowth: hebbian}
              output: {activation: identity, loss: mse}
              updater: {name: adam, learning_rate: 0.01}
              seed: 11
            training: {workers: 2, batch_size_per_worker: 16, averaging_frequency: 3, epochs: 3, trajectories: true}
            """;

    @TempDir
    static Path dir;

    private static Path config;
    private static Path uninterrupted;
    private static SparkSession spark;

    @BeforeAll
    static void trainUninterrupted() throws IOException {
        config = Files.writeString(dir.resolve("small.yaml"), SMALL);
        uninterrupted = dir.resolve("uninterrupted");
        CommandRun run = CommandRun.of("train", "--config", config, "--out", uninterrupted, "--master", "local[2]");
        assertThat(run.code()).as(run.err()).isZero();
    }

    @Test
    void resumingARunKilledAfterItsRowsButBeforeItsCheckpointGivesTheUninterruptedRowsOnce() throws IOException {
        Path out = dir.resolve("killed");
        Path staging = dir.resolve(".killed.staging-1234");
        copy(uninterrupted, staging);
        Files.delete(staging.resolve("model.zip"));
        Files.delete(staging.resolve("config.yaml"));
        Files.delete(staging.resolve("checkpoints/epoch-003.zip"));
        deleteRecursively(staging.resolve("runs"));
        String runId = runId(uninterrupted);

        CommandRun resumed = CommandRun.of("train", "--resume", "--config", config, "--out", out, "--master", "local[2]");

        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("run " + runId + ": ", "results in " + out.toAbsolutePath());
        assertThat(staging).doesNotExist();
        // The command line stops the session it used: the checks start their own.
        spark = LocalSpark.start("local[2]", "resume-check");
        try {
            assertResumedAsUninterrupted(out, runId);
        } finally {
            spark.stop();
        }
    }

    private static void assertResumedAsUninterrupted(Path out, String runId) {
        assertThat(RunOutput.lossByKey(spark, out)).isEqualTo(RunOutput.lossByKey(spark, uninterrupted));
        List<Row> evaluations = spark.read().parquet(out.resolve("evaluations").toString()).orderBy("epoch").collectAsList();
        assertThat(evaluations).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2, 3);
        Row run = spark.read().parquet(out.resolve("runs").toString()).first();
        Row expected = spark.read().parquet(uninterrupted.resolve("runs").toString()).first();
        assertThat(run.<String>getAs("run_id")).isEqualTo(runId);
        assertThat(run.<String>getAs("status")).isEqualTo("completed");
        assertThat(run.<Integer>getAs("epochs_completed")).isEqualTo(3);
        assertThat(run.<Double>getAs("final_test_loss")).isEqualTo(expected.<Double>getAs("final_test_loss"));
        assertThat(run.<java.sql.Timestamp>getAs("started_at")).isEqualTo(expected.<java.sql.Timestamp>getAs("started_at"));
    }

    @Test
    void resumeWithoutAKilledRunIsOneLineAndExitTwo() throws IOException {
        Path out = dir.resolve("never-started");
        CommandRun result = CommandRun.of("train", "--resume", "--config", config, "--out", out, "--master", "local[2]");
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("error: --resume: no killed run of --out " + out + " to resume");
        assertThat(out).doesNotExist();
    }

    @Test
    void resumeOfACompletedRunIsRefused() {
        CommandRun result = CommandRun.of("train", "--resume", "--config", config, "--out", uninterrupted,
                "--master", "local[2]");
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).containsExactly("error: --out " + uninterrupted
                + " already exists: that run completed; there is nothing to resume");
    }

    @Test
    void resumeWithAnotherConfigurationIsRefused() throws IOException {
        Path staging = killedRunWithCheckpoint("other-config", null);
        CommandRun result = CommandRun.of("train", "--resume", "--config", config, "--set", "training.epochs=4",
                "--out", dir.resolve("other-config"), "--master", "local[2]");
        assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("error: --config differs from the configuration the killed run ");
        assertThat(staging.resolve("checkpoints")).isDirectory();
    }

    @Test
    void aRunWhoseDriverStillHoldsItsLockIsNotResumed() throws IOException {
        Path staging = killedRunWithCheckpoint("alive", null);
        Path lockFile = staging.resolve("checkpoints/run.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            CommandRun result = CommandRun.of("train", "--resume", "--config", config, "--out", dir.resolve("alive"),
                    "--master", "local[2]");
            assertThat(result.code()).isEqualTo(Neuroplastic.BAD_INPUT);
            assertThat(result.errLines()).containsExactly("error: " + lockFile.toAbsolutePath()
                    + " is locked: a train job is still writing this run; resume it only once that job has ended");
            assertThat(held.isValid()).isTrue();
        }
    }

    @Test
    void aCheckpointOfGarbageBytesIsNamedAndNothingIsWritten() throws IOException {
        assertCheckpointRefused("garbage", "not a model file (no configuration.json)",
                "this is not a model".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTruncatedCheckpointIsNamedAndNothingIsWritten() throws IOException {
        byte[] model = Files.readAllBytes(uninterrupted.resolve("checkpoints/epoch-001.zip"));
        assertCheckpointRefused("truncated", "not a model file (",
                java.util.Arrays.copyOf(model, model.length / 2));
    }

    @Test
    void aZipWithoutDeeplearning4jEntriesIsNamedAndNothingIsWritten() throws IOException {
        assertCheckpointRefused("no-entries", "not a model file (no configuration.json; found coefficients.bin)",
                zip(Map.of("coefficients.bin", new byte[] {1, 2, 3})));
    }

    @Test
    void aModelFileWithAJavaSerializedEntryIsRefusedBeforeDeeplearning4jReadsIt() throws IOException {
        assertCheckpointRefused("serialized", "not a model file of these jobs: it holds the entry 'preprocessor.bin'",
                zip(Map.of("configuration.json", "{}".getBytes(StandardCharsets.UTF_8),
                        "coefficients.bin", new byte[] {0}, "preprocessor.bin", new byte[] {(byte) 0xac, (byte) 0xed})));
    }

    @Test
    void aConsolidatedStreamKilledAfterItsFirstTaskIsRefusedRatherThanResumedWithoutItsPenalty() throws IOException {
        Path ewc = Files.writeString(dir.resolve("ewc.yaml"), """
                data:
                  format: csv
                  path: ../data/digits.csv.gz
                  label_column: label
                  task: classification
                  classes: 10
                  test_fraction: 0.2
                  split_seed: 7
                  stream: {kind: split, classes_per_task: 2, scenario: task_incremental}
                network:
                  n_in: 64
                  hidden: [{size: 8, activation: relu}]
                  updater: {name: adam, learning_rate: 0.01}
                  seed: 11
                training:
                  workers: 2
                  batch_size_per_worker: 16
                  averaging_frequency: 3
                  epochs: 1
                  consolidation: {method: ewc}
                """);
        TrainConfig parsed = TrainConfig.read(LocalFiles.load(ewc, List.of()));
        MultiLayerNetwork afterTask0 = NetworkFactory.build(parsed.network().spec(64, parsed.data().target()),
                NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        afterTask0.setEpochCount(1);
        Path staging = dir.resolve(".ewc-killed.staging-9012");
        Path checkpoints = Files.createDirectories(staging.resolve("checkpoints"));
        writeIdentity(checkpoints, parsed);
        ModelArchive.write(afterTask0, LocalFiles.storage(), LocalFiles.at(checkpoints.resolve("epoch-001.zip")));
        Map<Path, byte[]> before = contents(staging);

        CommandRun result = CommandRun.of("train", "--resume", "--config", ewc, "--out", dir.resolve("ewc-killed"),
                "--master", "local[2]");

        assertThat(result.code()).as(result.err()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString()
                .contains("cannot resume after epoch 1: training.consolidation keeps the earlier tasks' penalty");
        assertThat(contents(staging)).as("the killed run's folder, unchanged").containsExactlyInAnyOrderEntriesOf(before);
    }

    private void assertCheckpointRefused(String name, String expected, byte[] checkpoint) throws IOException {
        Path staging = killedRunWithCheckpoint(name, checkpoint);
        Map<Path, byte[]> before = contents(staging);
        Path file = staging.resolve("checkpoints/epoch-001.zip").toAbsolutePath();

        CommandRun result = CommandRun.of("train", "--resume", "--config", config, "--out", dir.resolve(name),
                "--master", "local[2]");

        assertThat(result.code()).as(result.err()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(result.errLines()).singleElement().asString().startsWith("error: " + file + ": " + expected);
        assertThat(contents(staging)).as("the killed run's folder, unchanged").containsExactlyInAnyOrderEntriesOf(before);
        assertThat(dir.resolve(name)).doesNotExist();
    }

    /** The staging folder of a run killed after epoch 1: run.properties and the given checkpoint (or none). */
    private Path killedRunWithCheckpoint(String name, byte[] checkpoint) throws IOException {
        Path staging = dir.resolve("." + name + ".staging-5678");
        Path checkpoints = Files.createDirectories(staging.resolve("checkpoints"));
        writeIdentity(checkpoints, TrainConfig.read(LocalFiles.load(config, List.of())));
        if (checkpoint != null) {
            Files.write(checkpoints.resolve("epoch-001.zip"), checkpoint);
        }
        return staging;
    }

    private static void writeIdentity(Path checkpoints, TrainConfig config) throws IOException {
        Properties identity = new Properties();
        identity.setProperty("run_id", "20261128-000000-abcdef01");
        identity.setProperty("started_at", "2026-11-28T00:00:00Z");
        identity.setProperty("configuration", config.effectiveYaml());
        try (Writer writer = Files.newBufferedWriter(checkpoints.resolve("run.properties"))) {
            identity.store(writer, null);
        }
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<Path, byte[]> contents(Path root) throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static String runId(Path out) throws IOException {
        try (Stream<Path> partitions = Files.list(out.resolve("runs"))) {
            return partitions.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("run_id="))
                    .map(n -> n.substring("run_id=".length())).findFirst().orElseThrow();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
