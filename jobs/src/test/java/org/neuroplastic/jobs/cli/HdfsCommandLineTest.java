package org.neuroplastic.jobs.cli;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.RunOutput;
import org.neuroplastic.jobs.cluster.MiniHdfs;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line against a real HDFS (a namenode and two datanodes on 127.0.0.1): configuration, data and
 * results all on HDFS, named by URIs or by scheme-less paths on {@code fs.defaultFS}. Every artifact of a
 * run must land on HDFS and nothing on the local disk (the bug this guards against: {@code --out
 * hdfs://...} became a local folder named {@code hdfs:}, and with {@code fs.defaultFS} on HDFS a run was
 * split across the two file systems).
 */
@Tag("cluster")
class HdfsCommandLineTest {

    /**
     * How long a dead driver's run lock holds in the resume test: shorter than the default minute, long enough
     * that the first resume (which starts Spark before it takes the lock) surely comes within it.
     */
    private static final int LEASE_SECONDS = 15;

    private static MiniHdfs hdfs;
    private static FileSystem fs;
    private static String root;

    @TempDir
    static java.nio.file.Path local;

    @BeforeAll
    static void startHdfsWithTheInputs() throws IOException {
        hdfs = MiniHdfs.start();
        fs = hdfs.fileSystem();
        root = hdfs.uri().toString();
        fs.copyFromLocalFile(new Path(java.nio.file.Path.of("..", "data", "iris.csv").toAbsolutePath().toString()),
                new Path(root + "/data/iris.csv"));
        write("/conf/iris.yaml", """
                data: {format: csv, path: %s/data/iris.csv, label_column: label, task: classification, classes: 3,
                       test_fraction: 0.2, split_seed: 7}
                network:
                  n_in: auto
                  hidden:
                    - size: 8
                      activation: relu
                      plasticity:
                        hebbian: {enabled: true, rule: oja, eta: 0.01}
                        structural: {enabled: true, density: 0.75, zeta: 0.1, rewire_every: 10, regrowth: hebbian}
                  updater: {name: adam, learning_rate: 0.01}
                  seed: 42
                training: {workers: 2, batch_size_per_worker: 8, averaging_frequency: 5, epochs: 2}
                """.formatted(root));
        write("/conf/sweep.yaml", """
                base: iris.yaml
                method: grid
                parameters:
                  network.updater.learning_rate: {values: [0.01, 0.03]}
                mode: parallel
                """);
        write("/conf/small.yaml", TrainResumeTest.SMALL.replace("averaging_frequency: 3, epochs: 3", "averaging_frequency: 2, epochs: 4"));
    }

    @AfterAll
    static void stopHdfs() throws IOException {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void trainAnalyzeAndSweepWithEverythingOnHdfsWriteNothingLocally() throws IOException {
        List<String> workingFolder = localNames();

        CommandRun train = CommandRun.of("train", "--config", root + "/conf/iris.yaml", "--out", root + "/studies/iris",
                "--master", "local[2]");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("results in " + root + "/studies/iris");
        assertThat(names("/studies")).containsExactly("iris");
        assertThat(names("/studies/iris")).containsExactlyInAnyOrder(CommitMarker.FILE, "checkpoints", "config.yaml",
                "evaluations", "model.zip", "runs", "trajectories");
        assertThat(names("/studies/iris/checkpoints")).contains("epoch-001.zip", "epoch-002.zip");
        assertThat(committed("/studies/iris")).as("the marker names every file of the run with its size")
                .isEqualTo(filesBelow("/studies/iris"));

        CommandRun analyze = CommandRun.of("analyze", "--in", root + "/studies/iris", "--master", "local[2]");
        assertThat(analyze.code()).as(analyze.err()).isZero();
        assertThat(names("/studies/iris/analysis")).contains(CommitMarker.FILE, "report.html", "ranking.csv", "plots");

        CommandRun sweep = CommandRun.of("sweep", "--config", root + "/conf/sweep.yaml", "--out", root + "/studies/sweep",
                "--master", "local[2]");
        assertThat(sweep.code()).as(sweep.err()).isZero();
        assertThat(names("/studies/sweep")).contains(CommitMarker.FILE, "config.yaml", "trials", "runs", "evaluations");
        SparkSession spark = LocalSpark.start("local[2]", "hdfs-sweep-check");
        try {
            assertThat(spark.read().parquet(root + "/studies/sweep/trials").where("status = 'completed'").count()).isEqualTo(2);
        } finally {
            spark.stop();
        }

        assertThat(localNames()).as("the working folder").isEqualTo(workingFolder);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aPathWithoutSchemeIsOnTheDefaultFileSystemForEveryArtifact() throws IOException {
        List<String> workingFolder = localNames();
        String user = System.getProperty("user.name");
        System.setProperty("spark.hadoop.fs.defaultFS", root);
        CommandRun train;
        try {
            train = CommandRun.of("train", "--config", "/conf/iris.yaml", "--out", "studies/relative", "--master", "local[2]");
        } finally {
            System.clearProperty("spark.hadoop.fs.defaultFS");
        }
        assertThat(train.code()).as(train.err()).isZero();
        String out = "/user/" + user + "/studies/relative";
        assertThat(names(out)).containsExactlyInAnyOrder(CommitMarker.FILE, "checkpoints", "config.yaml", "evaluations",
                "model.zip", "runs", "trajectories");
        assertThat(localNames()).as("the working folder").isEqualTo(workingFolder);
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aDriverKilledOnHdfsIsLockedOutUntilItsLeaseLapsesThenResumesToTheUninterruptedRun() throws Exception {
        String config = root + "/conf/small.yaml";
        String clean = root + "/resume/clean";
        String killed = root + "/resume/killed";
        String lease = "-Dspark.hadoop.neuroplastic.lock.lease.seconds=" + LEASE_SECONDS;
        CommandRun uninterrupted = CommandRun.of("train", "--config", config, "--out", clean, "--master", "local[2]");
        assertThat(uninterrupted.code()).as(uninterrupted.err()).isZero();

        java.nio.file.Path log = local.resolve("killed-driver.log");
        Process driver = DriverJvm.start(log, List.of(lease), "train", "--config", config, "--out", killed,
                "--master", "local[2]");
        String staging;
        try {
            staging = awaitCheckpoint("/resume", "killed", 2, driver, log, Duration.ofMinutes(8));
        } finally {
            driver.destroyForcibly();
            driver.waitFor(1, TimeUnit.MINUTES);
        }
        assertThat(fs.exists(new Path(killed))).as("a killed run is never visible as complete").isFalse();
        assertThat(fs.exists(new Path(staging + "/checkpoints/run.lock"))).as("the dead driver's lease file").isTrue();

        System.setProperty("spark.hadoop.neuroplastic.lock.lease.seconds", String.valueOf(LEASE_SECONDS));
        try {
            Instant killedAt = Instant.now();
            CommandRun early = CommandRun.of("train", "--resume", "--config", config, "--out", killed, "--master", "local[2]");
            assertThat(Duration.between(killedAt, Instant.now())).as("the first resume came within the lease")
                    .isLessThan(Duration.ofSeconds(LEASE_SECONDS - 1));
            assertThat(early.code()).as(early.err()).isEqualTo(Neuroplastic.BAD_INPUT);
            assertThat(early.err()).contains("run.lock is locked", "lapses " + LEASE_SECONDS + " s");
            Thread.sleep(TimeUnit.SECONDS.toMillis(LEASE_SECONDS + 1));
            CommandRun resumed = CommandRun.of("train", "--resume", "--config", config, "--out", killed,
                    "--master", "local[2]");
            assertThat(resumed.code()).as(resumed.err()).isZero();
        } finally {
            System.clearProperty("spark.hadoop.neuroplastic.lock.lease.seconds");
        }
        assertThat(fs.exists(new Path(staging))).isFalse();
        assertThat(names("/resume/killed")).contains(CommitMarker.FILE, "model.zip");
        SparkSession spark = LocalSpark.start("local[2]", "hdfs-resume-check");
        try {
            Map<String, Double> expected = RunOutput.lossByKey(spark, clean);
            assertThat(RunOutput.lossByKey(spark, killed)).as("loss of every row").isEqualTo(expected);
            assertThat(RunOutput.finalTestLoss(spark, killed)).isEqualTo(RunOutput.finalTestLoss(spark, clean));
        } finally {
            spark.stop();
        }
    }

    private static void write(String file, String text) throws IOException {
        try (var out = fs.create(new Path(root + file), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> names(String folder) throws IOException {
        List<String> names = new ArrayList<>();
        for (var status : fs.listStatus(new Path(root + folder))) {
            names.add(status.getPath().getName());
        }
        return names.stream().sorted().toList();
    }

    private static SortedMap<String, Long> filesBelow(String folder) throws IOException {
        SortedMap<String, Long> files = new TreeMap<>();
        var all = fs.listFiles(new Path(root + folder), true);
        String prefix = new Path(root + folder).toUri().getPath() + "/";
        while (all.hasNext()) {
            var file = all.next();
            String path = file.getPath().toUri().getPath().substring(prefix.length());
            if (!path.equals(CommitMarker.FILE)) {
                files.put(path, file.getLen());
            }
        }
        return files;
    }

    private static SortedMap<String, Long> committed(String folder) throws IOException {
        Storage storage = Storage.of(hdfs.configuration());
        return CommitMarker.files(storage, storage.locate(root + folder));
    }

    /** What the jobs could have left in the working folder (the jobs module when failsafe runs). */
    private static List<String> localNames() throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(java.nio.file.Path.of(""))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("target")).sorted().toList();
        }
    }

    /** The run's staging folder on HDFS, once it holds the checkpoint of {@code epoch}. */
    private static String awaitCheckpoint(String parent, String name, int epoch, Process driver, java.nio.file.Path log,
                                          Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String checkpoint = String.format("checkpoints/epoch-%03d.zip", epoch);
        while (Instant.now().isBefore(deadline)) {
            if (!driver.isAlive()) {
                throw new AssertionError("the driver ended (exit " + driver.exitValue() + ") before checkpoint "
                        + epoch + ": " + Files.readString(log));
            }
            if (fs.exists(new Path(root + parent))) {
                for (var status : fs.listStatus(new Path(root + parent))) {
                    String staging = root + parent + "/" + status.getPath().getName();
                    if (status.getPath().getName().startsWith("." + name + ".staging-")
                            && fs.exists(new Path(staging + "/" + checkpoint))) {
                        return staging;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + checkpoint + " within " + timeout + ": " + Files.readString(log));
    }
}
