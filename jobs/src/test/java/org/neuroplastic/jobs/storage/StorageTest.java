package org.neuroplastic.jobs.storage;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageTest {

    private final Storage storage = LocalFiles.storage();

    @Test
    void aFileLongerThanTheLimitIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        Path eleven = Files.writeString(dir.resolve("eleven.txt"), "0123456789\n");
        Location file = storage.locate(eleven.toString());

        assertThat(storage.readBytes(file, 11)).hasSize(11);
        assertThatThrownBy(() -> storage.readBytes(file, 10)).isInstanceOf(IOException.class)
                .hasMessage(file + " is longer than 10 bytes, more than a text file of this kind holds");
    }

    /** Hadoop's local file system calls a device a file; reading one as text must end, not fill the heap. */
    @Test
    void anEndlessDeviceReadAsTextIsRefused() {
        Location zero = storage.locate("/dev/zero");

        assertThatThrownBy(() -> storage.readText(zero)).isInstanceOf(IOException.class)
                .hasMessageContaining("is longer than " + Storage.TEXT_LIMIT_BYTES + " bytes");
    }

    @Test
    void aPathWithoutSchemeIsOnTheDefaultFileSystemRelativeToItsWorkingFolder() {
        Location relative = storage.locate("out/run");
        assertThat(relative.scheme()).isEqualTo("file");
        assertThat(relative.path().toUri().getPath()).isEqualTo(Path.of("out/run").toAbsolutePath().toString());
        assertThat(relative).hasToString("out/run");

        Configuration elsewhere = new Configuration();
        elsewhere.set("fs.defaultFS", "hdfs://127.0.0.1:9/");
        // Locating needs no connection: the name node at port 9 is never contacted.
        Location onHdfs = Storage.of(elsewhere).locate("/studies/q");
        assertThat(onHdfs.uri()).isEqualTo("hdfs://127.0.0.1:9/studies/q");
        assertThat(Storage.of(elsewhere).locate("file:/tmp/x").scheme()).isEqualTo("file");
    }

    @Test
    void childrenKeepTheTextTheUserTyped() {
        Location out = storage.locate("out/q");
        Location model = out.resolve("checkpoints").resolve("epoch-001.zip");
        assertThat(model).hasToString("out/q/checkpoints/epoch-001.zip");
        assertThat(model.uri()).endsWith("/out/q/checkpoints/epoch-001.zip");
        assertThat(model.parent().parent()).isEqualTo(out);
        assertThat(model.name()).isEqualTo("epoch-001.zip");
        assertThatThrownBy(() -> out.resolve("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.resolve("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRelativeNameInsideAnotherFileResolvesAgainstItsFolder() {
        Location sweep = storage.locate("/confs/sweeps/s.yaml");
        assertThat(storage.locate(sweep.parent(), "../base.yaml").path().toUri().getPath()).isEqualTo("/confs/base.yaml");
        assertThat(storage.locate(sweep.parent(), "/abs/base.yaml").path().toUri().getPath()).isEqualTo("/abs/base.yaml");
    }

    @Test
    void textThatNoPathCanHoldIsRefused() {
        assertThatThrownBy(() -> storage.locate("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.locate("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCompletelyWrittenFileReplacesTheOldOneAndLeavesNoPartialFile(@TempDir Path dir) throws IOException {
        Location file = LocalFiles.at(dir.resolve("model.zip"));
        storage.writeCompletely(file, "first".getBytes(StandardCharsets.UTF_8));
        storage.writeCompletely(file, "second".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.readText(file)).isEqualTo("second");
        try (var files = Files.list(dir)) {
            // No .partial left, and the raw local file system writes no .crc companions.
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.zip");
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntact(@TempDir Path dir) throws IOException {
        Location file = LocalFiles.at(dir.resolve("epoch-001.zip"));
        storage.writeText(file, "complete");
        assertThatThrownBy(() -> storage.writeCompletely(file, out -> {
            out.write(1);
            throw new IOException("killed mid-write");
        })).hasMessageContaining("killed mid-write");
        assertThat(storage.readText(file)).isEqualTo("complete");
    }

    @Test
    void renameRefusesToReplaceAndCreatesTheParents(@TempDir Path dir) throws IOException {
        Location a = LocalFiles.at(dir.resolve("a"));
        Location b = LocalFiles.at(dir.resolve("x")).resolve("y").resolve("b");
        storage.writeText(a, "a");
        storage.rename(a, b);
        assertThat(storage.readText(b)).isEqualTo("a");
        assertThat(storage.exists(a)).isFalse();
        storage.writeText(a, "again");
        assertThatThrownBy(() -> storage.rename(a, b)).isInstanceOf(IOException.class).hasMessageContaining("exists");
    }

    @Test
    void filesBelowAFolderAreListedRelativeToItWithTheirSizes(@TempDir Path dir) throws IOException {
        Location root = LocalFiles.at(dir);
        storage.writeText(root.resolve("config.yaml"), "abc");
        storage.writeText(root.resolve("runs").resolve("run_id=r").resolve("part-0.parquet"), "12345");
        assertThat(storage.filesBelow(root)).isEqualTo(Map.of("config.yaml", 3L, "runs/run_id=r/part-0.parquet", 5L));
        assertThat(storage.filesBelow(root.resolve("missing"))).isEmpty();
        assertThat(storage.list(root).stream().map(Location::name)).containsExactly("config.yaml", "runs");
        assertThat(storage.list(root.resolve("missing"))).isEmpty();
    }

    @Test
    void onlyObjectStoresLackAtomicRenames() {
        // Naming a location on a store needs no client for it: S3A is not on this classpath.
        Storage any = Storage.of(new Configuration());
        assertThat(any.renamesAtomically(any.locate("file:/a"))).isTrue();
        assertThat(any.renamesAtomically(any.locate("hdfs://127.0.0.1:9/a"))).isTrue();
        assertThat(any.renamesAtomically(any.locate("s3a://bucket/a"))).isFalse();
        assertThat(any.renamesAtomically(any.locate("gs://bucket/a"))).isFalse();
    }
}
