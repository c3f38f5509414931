package org.neuroplastic.jobs.cli;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cluster.S3Store;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line against an S3-compatible object store on 127.0.0.1, where renaming a folder is a copy a
 * reader can see half done: a run becomes a result only through its {@code _COMMITTED} marker, written
 * last, and a job killed before it leaves nothing a reader takes for a result.
 */
@Tag("cluster")
class ObjectStoreCommandLineTest {

    private static S3Store store;
    private static FileSystem fs;

    @TempDir
    static java.nio.file.Path local;

    @BeforeAll
    static void startTheStore() throws Exception {
        store = S3Store.start();
        fs = FileSystem.get(store.uri("").resolve("/"), store.hadoopConfiguration());
        store.sparkHadoopSettings().forEach(System::setProperty);
        try (var out = fs.create(new Path(store.uri("conf/small.yaml")), true)) {
            out.write(TrainResumeTest.SMALL.getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopTheStore() {
        if (store != null) {
            store.sparkHadoopSettings().keySet().forEach(System::clearProperty);
            store.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void trainAndAnalyzeCommitTheirResultsToTheStoreWithTheMarkerNamingEveryFile() throws IOException {
        String out = store.uri("studies/small").toString();
        CommandRun train = CommandRun.of("train", "--config", store.uri("conf/small.yaml"), "--out", out,
                "--master", "local[2]");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(names("studies/small")).containsExactlyInAnyOrder(CommitMarker.FILE, "checkpoints", "config.yaml",
                "evaluations", "model.zip", "runs", "trajectories");
        assertThat(names("studies")).as("no staging folder is left").containsExactly("small");
        Storage storage = Storage.of(store.hadoopConfiguration());
        assertThat(CommitMarker.files(storage, storage.locate(out)))
                .isEqualTo(withoutMarker(storage.filesBelow(storage.locate(out))));

        CommandRun analyze = CommandRun.of("analyze", "--in", out, "--master", "local[2]");
        assertThat(analyze.code()).as(analyze.err()).isZero();
        assertThat(names("studies/small/analysis")).contains(CommitMarker.FILE, "report.html", "ranking.csv");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aJobKilledMidWriteLeavesNothingAReaderTakesForAResult() throws Exception {
        String out = store.uri("studies/killed").toString();
        List<String> options = new ArrayList<>();
        store.sparkHadoopSettings().forEach((key, value) -> options.add("-D" + key + "=" + value));
        java.nio.file.Path log = local.resolve("killed-driver.log");
        Process driver = DriverJvm.start(log, options, "train", "--config", store.uri("conf/small.yaml").toString(),
                "--out", out, "--master", "local[2]");
        try {
            awaitObject("studies", "checkpoints/epoch-001.zip", driver, log, Duration.ofMinutes(6));
        } finally {
            driver.destroyForcibly();
            driver.waitFor(1, TimeUnit.MINUTES);
        }
        Storage storage = Storage.of(store.hadoopConfiguration());
        assertThat(CommitMarker.isCommitted(storage, storage.locate(out))).isFalse();

        CommandRun analyze = CommandRun.of("analyze", "--in", out, "--master", "local[2]");
        assertThat(analyze.code()).isEqualTo(Neuroplastic.BAD_INPUT);
        assertThat(analyze.errLines()).singleElement().asString().startsWith("error: --in " + out);
    }

    private static java.util.SortedMap<String, Long> withoutMarker(java.util.SortedMap<String, Long> files) {
        files.remove(CommitMarker.FILE);
        return files;
    }

    private static List<String> names(String folder) throws IOException {
        List<String> names = new ArrayList<>();
        for (var status : fs.listStatus(new Path(store.uri(folder)))) {
            names.add(status.getPath().getName());
        }
        return names.stream().sorted().toList();
    }

    /** Waits until some staging folder under {@code parent} holds {@code relative}. */
    private static void awaitObject(String parent, String relative, Process driver, java.nio.file.Path log,
                                    Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!driver.isAlive()) {
                throw new AssertionError("the driver ended (exit " + driver.exitValue() + ") early: " + Files.readString(log));
            }
            if (fs.exists(new Path(store.uri(parent)))) {
                for (var status : fs.listStatus(new Path(store.uri(parent)))) {
                    if (fs.exists(new Path(status.getPath(), relative))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + relative + " within " + timeout + ": " + Files.readString(log));
    }
}
