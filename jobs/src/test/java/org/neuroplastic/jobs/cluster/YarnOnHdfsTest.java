package org.neuroplastic.jobs.cluster;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cluster.MiniYarn.DeployMode;
import org.neuroplastic.jobs.cluster.MiniYarn.YarnSubmission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * YARN on HDFS, as on a Hadoop cluster ({@link MiniYarn#start(MiniHdfs)}: HDFS is the default file
 * system): an application submitted in cluster deploy mode is staged in HDFS, its driver runs in the
 * application master's container, and its executors read and write HDFS.
 */
@Tag("cluster")
class YarnOnHdfsTest {

    private static final java.nio.file.Path QUICKSTART = java.nio.file.Path.of("..", "conf", "quickstart.yaml");
    private static final String MAIN_CLASS = "org.neuroplastic.jobs.cli.Neuroplastic";

    private static MiniHdfs hdfs;
    private static MiniYarn yarn;

    @TempDir
    java.nio.file.Path temp;

    @BeforeAll
    static void startHdfsAndYarn() throws Exception {
        hdfs = MiniHdfs.start();
        yarn = MiniYarn.start(hdfs);
    }

    @AfterAll
    static void stopYarnAndHdfs() throws IOException {
        try {
            if (yarn != null) {
                yarn.close();
            }
        } finally {
            if (hdfs != null) {
                hdfs.close();
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void clusterModeDriverAndExecutorsReadAndWriteHdfs() throws Exception {
        FileSystem fs = hdfs.fileSystem();
        List<String> lines = IntStream.range(0, 100).mapToObj(i -> "line " + i).toList();
        Path input = new Path(hdfs.uri().resolve("/in/lines.txt"));
        try (FSDataOutputStream out = fs.create(input, false)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path output = new Path(hdfs.uri().resolve("/out/upper"));

        YarnSubmission run = yarn.submit(DeployMode.CLUSTER, UpperCaseCopy.class.getName(),
                ApplicationJar.of(UpperCaseCopy.class, temp), input.toString(), output.toString());

        assertThat(run.exitCode()).as(run.outputTail()).isZero();
        assertThat(run.driverLogs()).as("the driver's logs").isNotEmpty().allSatisfy(log ->
                assertThat(log.getParent().getFileName().toString()).as("container").endsWith("_000001"));
        assertThat(run.driverOutput()).as(run.outputTail())
                .contains("copied " + lines.size() + " lines from " + input + " to " + output);
        assertThat(Files.readString(run.outputFile())).as("spark-submit's own output")
                .doesNotContain("copied ")
                .as("where spark-submit staged the application").contains("-> " + hdfs.uri() + "/user/");
        assertThat(readParts(fs, output)).containsExactlyInAnyOrderElementsOf(
                lines.stream().map(line -> line.toUpperCase(Locale.ROOT)).toList());
    }

    /**
     * The end-to-end run the fixtures are for: the quickstart's configuration read from HDFS and its
     * results written there, the driver in the application master's container. Enable it once the jobs
     * take Hadoop paths for {@code --config} and {@code --out}.
     */
    @Test
    @Disabled("train reads --config and writes --out through java.nio.file today: hdfs:// paths are not supported yet")
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void quickstartInClusterModeReadsItsConfigurationFromHdfsAndWritesItsResultsThere() throws Exception {
        FileSystem fs = hdfs.fileSystem();
        Path config = new Path(hdfs.uri().resolve("/conf/quickstart.yaml"));
        fs.copyFromLocalFile(new Path(QUICKSTART.toAbsolutePath().toUri()), config);
        Path out = new Path(hdfs.uri().resolve("/runs/quickstart"));

        YarnSubmission run = yarn.submit(DeployMode.CLUSTER, MAIN_CLASS, ExecutorLossTest.ClusterApplication.jar(),
                "train", "--config", config.toString(), "--set", "training.epochs=1", "--set", "data.rows=2000",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.outputTail()).isZero();
        assertThat(run.driverOutput()).as(run.outputTail()).contains("results in " + out);
        for (String table : List.of("runs", "trajectories")) {
            List<String> files = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> listed = fs.listFiles(new Path(out, table), true);
            while (listed.hasNext()) {
                files.add(listed.next().getPath().getName());
            }
            assertThat(files).as("files of %s", table).anyMatch(name -> name.endsWith(".parquet"));
        }
    }

    private static List<String> readParts(FileSystem fs, Path folder) throws IOException {
        List<String> read = new ArrayList<>();
        for (FileStatus part : fs.globStatus(new Path(folder, "part-*"))) {
            try (FSDataInputStream in = fs.open(part.getPath())) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                text.lines().forEach(read::add);
            }
        }
        return read;
    }
}
