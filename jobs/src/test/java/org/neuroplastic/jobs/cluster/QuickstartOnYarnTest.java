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

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quickstart on a real YARN ({@link MiniYarn}: a resource manager and two node managers, the local
 * file system as default) in client deploy mode: the driver in spark-submit's JVM, the workers in
 * executors that YARN's node managers launched. The class's tests share one YARN: it takes about as long
 * to start as a small application takes to run. Cluster deploy mode is {@link YarnOnHdfsTest}'s.
 */
@Tag("cluster")
class QuickstartOnYarnTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");
    private static final String MAIN_CLASS = "org.neuroplastic.jobs.cli.Neuroplastic";

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
}
