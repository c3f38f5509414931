package org.neuroplastic.jobs.cluster;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.cluster.MiniYarn.DeployMode;
import org.neuroplastic.jobs.cluster.MiniYarn.YarnSubmission;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications on a real YARN ({@link MiniYarn}: a resource manager and two node managers, the local
 * file system as default): the quickstart in client deploy mode, and a driver that cluster deploy mode
 * starts inside the application master's container. One YARN serves both tests: it takes about as long
 * to start as a small application takes to run.
 */
@Tag("cluster")
class QuickstartOnYarnTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");
    private static final String MAIN_CLASS = "org.neuroplastic.jobs.cli.Neuroplastic";
    private static final Pattern CENSUS_DRIVER = Pattern.compile("^census application=(\\S+) driver-pid=\\d+$",
            Pattern.MULTILINE);
    private static final Pattern CENSUS_EXECUTOR = Pattern.compile("^census executor=(\\S+) pid=\\d+$", Pattern.MULTILINE);

    private static MiniYarn yarn;

    @TempDir
    Path temp;

    @BeforeAll
    static void startYarn() throws Exception {
        yarn = MiniYarn.start();
    }

    @AfterAll
    static void stopYarn() {
        if (yarn != null) {
            yarn.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void quickstartInClientModeTrainsOnTwoExecutorsInYarnContainers() throws Exception {
        Path out = temp.resolve("out").toAbsolutePath();
        YarnSubmission run = yarn.submit(DeployMode.CLIENT, MAIN_CLASS, ExecutorLossTest.ClusterApplication.jar(),
                "train", "--config", QUICKSTART.toAbsolutePath().normalize().toString(),
                // One small epoch: the point is where it runs, not what it learns.
                "--set", "training.epochs=1", "--set", "data.rows=2000",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.outputTail()).isZero();
        assertThat(run.driverOutput()).as(run.outputTail()).contains("results in " + out);
        String applicationId = run.applicationId().orElseThrow(() -> new AssertionError(
                "no application id in spark-submit's output:\n" + run.outputTail()));
        List<String> containers = yarn.containerLogFolders(applicationId).stream()
                .map(folder -> folder.getFileName().toString()).toList();
        assertThat(containers).as("containers of %s", applicationId)
                .anyMatch(container -> container.endsWith("_000001"))
                .hasSizeGreaterThanOrEqualTo(3);

        SparkSession spark = LocalSpark.start("local[1]", "quickstart-on-yarn-check");
        try {
            Row runRow = spark.read().parquet(out.resolve("runs").toString()).first();
            assertThat(runRow.<String>getAs("status")).isEqualTo("completed");
            assertThat(runRow.<String>getAs("spark_master")).isEqualTo("yarn");
            Dataset<Row> workerRows = spark.read().parquet(out.resolve("trajectories").toString())
                    .where(col("worker").notEqual("avg"));
            Set<String> executors = workerRows.select(col("executor_id")).distinct().collectAsList().stream()
                    .map(row -> row.getString(0)).collect(Collectors.toSet());
            assertThat(executors).as("executors that trained the workers").hasSize(2).doesNotContain("driver");
        } finally {
            spark.stop();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void clusterModeRunsTheDriverInTheApplicationMastersContainer() throws Exception {
        Path census = ApplicationJar.of(ExecutorCensus.class, temp);
        YarnSubmission run = yarn.submit(DeployMode.CLUSTER, ExecutorCensus.class.getName(), census, "4", "PT0S");
        assertThat(run.exitCode()).as(run.outputTail()).isZero();
        String applicationId = run.applicationId().orElseThrow(() -> new AssertionError(
                "no application id in spark-submit's output:\n" + run.outputTail()));
        assertThat(run.driverLogs()).as("the driver's logs")
                .isNotEmpty()
                .allSatisfy(log -> assertThat(log.getParent().getFileName().toString()).endsWith("_000001"));

        assertThat(Files.readString(run.outputFile())).as("spark-submit's own output").doesNotContain("census ");
        Matcher driver = CENSUS_DRIVER.matcher(run.driverOutput());
        assertThat(driver.find()).as(run.outputTail()).isTrue();
        assertThat(driver.group(1)).isEqualTo(applicationId);
        assertThat(CENSUS_EXECUTOR.matcher(run.driverOutput()).results().map(line -> line.group(1)).toList())
                .as(run.outputTail()).hasSize(2).doesNotContain("driver");
    }
}
