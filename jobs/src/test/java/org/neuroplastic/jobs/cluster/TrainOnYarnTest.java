package org.neuroplastic.jobs.cluster;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.cluster.MiniYarn.DeployMode;
import org.neuroplastic.jobs.cluster.MiniYarn.YarnSubmission;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications on a real YARN ({@link MiniYarn}: a resource manager and two node managers) over a real HDFS
 * ({@link MiniHdfs}, the default file system, as on every YARN cluster): a train job in cluster deploy mode,
 * its driver inside the application master's container, with everything on HDFS.
 */
@Tag("cluster")
class TrainOnYarnTest {

    private static final String MAIN_CLASS = "org.neuroplastic.jobs.cli.Neuroplastic";

    private static MiniHdfs hdfs;
    private static MiniYarn yarn;

    @BeforeAll
    static void startHdfsAndYarn() throws Exception {
        hdfs = MiniHdfs.start();
        yarn = MiniYarn.start(hdfs);
    }

    @AfterAll
    static void stopYarnAndHdfs() throws Exception {
        if (yarn != null) {
            yarn.close();
        }
        if (hdfs != null) {
            hdfs.close();
        }
    }

    /**
     * What a user of a YARN cluster does: configuration and data on HDFS, named without a scheme (so on
     * {@code fs.defaultFS}, relative to the user's HDFS home), the application jar submitted in cluster deploy
     * mode. Every result must land on HDFS, committed, with rows from both executors.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void irisInClusterModeReadsAndWritesHdfsAndTrainsOnTwoExecutors() throws Exception {
        FileSystem fs = hdfs.fileSystem();
        org.apache.hadoop.fs.Path home = fs.getHomeDirectory();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of("..", "data", "iris.csv").toAbsolutePath().toString()),
                new org.apache.hadoop.fs.Path(home, "data/iris.csv"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of("..", "conf", "iris.yaml").toAbsolutePath().toString()),
                new org.apache.hadoop.fs.Path(home, "conf/iris.yaml"));
        YarnSubmission run = yarn.submit(DeployMode.CLUSTER, MAIN_CLASS, ExecutorLossTest.ClusterApplication.jar(),
                "train", "--config", "conf/iris.yaml", "--set", "training.epochs=2", "--out", "studies/iris");
        assertThat(run.exitCode()).as(run.outputTail()).isZero();
        String out = new org.apache.hadoop.fs.Path(home, "studies/iris").toString();
        assertThat(run.driverOutput()).as(run.outputTail()).contains("results in studies/iris");
        assertThat(run.driverLogs()).as("the driver ran in the application master's container")
                .isNotEmpty()
                .allSatisfy(log -> assertThat(log.getParent().getFileName().toString()).endsWith("_000001"));
        assertThat(Files.readString(run.outputFile())).as("spark-submit's own output, not the driver's")
                .doesNotContain("results in studies/iris");
        List<String> names = new ArrayList<>();
        for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(out))) {
            names.add(status.getPath().getName());
        }
        assertThat(names).containsExactlyInAnyOrder("_COMMITTED", "checkpoints", "config.yaml", "evaluations",
                "model.zip", "runs", "trajectories");

        SparkSession spark = LocalSpark.start("local[1]", "iris-on-yarn-check",
                Map.of("spark.hadoop.fs.defaultFS", hdfs.uri().toString()));
        try {
            Row runRow = spark.read().parquet(out + "/runs").first();
            assertThat(runRow.<String>getAs("status")).isEqualTo("completed");
            assertThat(runRow.<String>getAs("spark_master")).isEqualTo("yarn");
            Dataset<Row> workerRows = spark.read().parquet(out + "/trajectories").where(col("worker").notEqual("avg"));
            Set<String> executors = workerRows.select(col("executor_id")).distinct().collectAsList().stream()
                    .map(row -> row.getString(0)).collect(Collectors.toSet());
            assertThat(executors).as("executors that trained the workers").hasSize(2).doesNotContain("driver");
        } finally {
            spark.stop();
        }
    }
}
