package org.neuroplastic.jobs.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroplastic.jobs.LocalSpark;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hadoop's S3A connector and a Spark session against {@link S3Store}: what {@code --out s3a://...} needs. */
@Tag("cluster")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class S3StoreTest {

    private static S3Store store;

    @BeforeAll
    static void startStore() throws Exception {
        long started = System.nanoTime();
        store = S3Store.start();
        System.out.printf("S3Store: bucket %s at %s ready after %d ms%n", store.bucket(), store.endpoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @AfterAll
    static void stopStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void fileSystemWritesListsReadsRenamesAndDeletesAFile() throws IOException {
        byte[] content = "plastic weights\n".getBytes(StandardCharsets.UTF_8);
        try (FileSystem fs = FileSystem.newInstance(store.uri(""), store.hadoopConfiguration())) {
            Path folder = new Path(store.uri("file-round-trip/"));
            Path written = new Path(folder, "written.txt");
            Path renamed = new Path(folder, "renamed.txt");

            try (FSDataOutputStream out = fs.create(written, false)) {
                out.write(content);
            }
            assertThat(Arrays.stream(fs.listStatus(folder)).map(FileStatus::getPath).map(Path::getName))
                    .containsExactly("written.txt");
            assertThat(fs.getFileStatus(written).getLen()).isEqualTo(content.length);
            assertThat(readAll(fs, written)).isEqualTo(content);

            // S3 has no rename: S3A copies the object, then deletes the source.
            assertThat(fs.rename(written, renamed)).isTrue();
            assertThat(fs.exists(written)).isFalse();
            assertThat(readAll(fs, renamed)).isEqualTo(content);

            assertThat(fs.delete(renamed, false)).isTrue();
            assertThat(fs.exists(renamed)).isFalse();
        }
    }

    @Test
    void fileSystemCreatesListsAndDeletesADirectoryTree() throws IOException {
        try (FileSystem fs = FileSystem.newInstance(store.uri(""), store.hadoopConfiguration())) {
            Path tree = new Path(store.uri("directory-tree"));
            Path empty = new Path(tree, "empty");
            Path file = new Path(tree, "full/file.txt");

            // An empty directory exists only as its marker object, "directory-tree/empty/".
            assertThat(fs.mkdirs(empty)).isTrue();
            assertThat(fs.getFileStatus(empty).isDirectory()).isTrue();
            // S3A then deletes any marker objects of the file's parents, "directory-tree/full/" and
            // "directory-tree/": keys with objects below them, which S3Proxy's filesystem backends cannot delete.
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(2);
            }
            assertThat(Arrays.stream(fs.listStatus(tree)).map(status -> status.getPath().getName()))
                    .containsExactlyInAnyOrder("empty", "full");

            assertThat(fs.delete(tree, true)).isTrue();
            assertThat(fs.exists(tree)).isFalse();
            assertThat(fs.exists(file)).isFalse();
        }
    }

    @Test
    void fileLargerThanAPartIsUploadedInPartsAndReadsBackWhole() throws IOException {
        // S3's smallest part is 5 MiB; S3A's default of 64 MiB would send this file in one PUT.
        Configuration configuration = store.hadoopConfiguration();
        configuration.set("fs.s3a.multipart.size", "5M");
        configuration.set("fs.s3a.multipart.threshold", "5M");
        configuration.setBoolean("fs.s3a.etag.checksum.enabled", true);
        byte[] content = new byte[11 * 1024 * 1024];
        new Random(7).nextBytes(content);
        try (FileSystem fs = FileSystem.newInstance(store.uri(""), configuration)) {
            Path large = new Path(store.uri("multipart/large.bin"));
            try (FSDataOutputStream out = fs.create(large, false)) {
                out.write(content);
            }
            assertThat(readAll(fs, large)).isEqualTo(content);

            // A multipart object's ETag ends in "-<parts>": 5 + 5 + 1 MiB.
            FileChecksum etag = fs.getFileChecksum(large);
            assertThat(new String(etag.getBytes(), StandardCharsets.UTF_8)).endsWith("-3");
        }
    }

    @Test
    void sparkWritesParquetToTheBucketAndReadsItBack() throws IOException {
        String output = store.uri("runs/parquet-round-trip").toString();
        SparkSession spark = LocalSpark.start("local[2]", getClass().getSimpleName(), store.sparkHadoopSettings());
        try {
            // Two partitions, so two tasks commit through S3A's copy-and-delete rename.
            Dataset<Row> written = spark.range(0, 1000, 1, 2).withColumn("square", col("id").multiply(col("id")));
            written.write().parquet(output);

            // Collected and sorted here: a comparison inside Spark (except) would cost a shuffle.
            List<Row> read = new ArrayList<>(spark.read().parquet(output).collectAsList());
            read.sort(Comparator.comparingLong(row -> row.getLong(0)));
            assertThat(read).hasSize(1000);
            for (int id = 0; id < read.size(); id++) {
                assertThat(read.get(id).getLong(0)).isEqualTo(id);
                assertThat(read.get(id).getLong(1)).isEqualTo((long) id * id);
            }
        } finally {
            spark.stop();
        }
        try (FileSystem fs = FileSystem.newInstance(URI.create(output), store.hadoopConfiguration())) {
            List<String> files = Arrays.stream(fs.listStatus(new Path(output)))
                    .map(status -> status.getPath().getName())
                    .toList();
            // The committer's _temporary folder is gone and each of the two tasks left one part.
            assertThat(files).contains("_SUCCESS").doesNotContain("_temporary");
            assertThat(files).filteredOn(name -> name.endsWith(".parquet")).hasSize(2);
        }
    }

    @Test
    void closeStopsTheServerAndDeletesTheTemporaryFilesButKeepsTheLog() throws Exception {
        S3Store other = S3Store.start();
        int port = URI.create(other.endpoint()).getPort();
        try (FileSystem fs = FileSystem.newInstance(other.uri(""), other.hadoopConfiguration())) {
            try (FSDataOutputStream out = fs.create(new Path(other.uri("stored-until-close.txt")))) {
                out.write(1);
            }
        } finally {
            other.close();
        }

        assertThat(other.process().isAlive()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        try (Stream<java.nio.file.Path> left = Files.list(other.folder())) {
            assertThat(left.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("s3proxy.log", "s3proxy.properties");
        }
    }

    private static byte[] readAll(FileSystem fs, Path path) throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }
}
