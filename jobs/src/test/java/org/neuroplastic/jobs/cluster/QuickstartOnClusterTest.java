package org.neuroplastic.jobs.cluster;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.cluster.StandaloneCluster.LaunchedExecutor;
import org.neuroplastic.jobs.cluster.StandaloneCluster.Submission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quickstart, shrunk to 2,000 rows and 2 epochs, submitted as the application jar to a real
 * standalone cluster (a Master and two Workers of one core each): its trajectories hold rows of both
 * workers, trained in executor JVMs on two different Workers, and the averaged rows, one row per key.
 */
@Tag("cluster")
class QuickstartOnClusterTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");
    private static final String MAIN_CLASS = "org.neuroplastic.jobs.cli.Neuroplastic";
    private static final List<String> KEY = List.of("run_id", "task", "epoch", "round", "step", "worker", "layer");

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void workersOnTwoExecutorJvmsWriteTheirTrajectoriesBesideTheAveragedOnes() throws Exception {
        Path config = shrunkQuickstart();
        Path out = temp.resolve("out");
        Path appJar = applicationJar();
        List<LaunchedExecutor> launched;
        String masterUrl;
        try (StandaloneCluster cluster = StandaloneCluster.start()) {
            masterUrl = cluster.masterUrl();
            Submission run = cluster.submit(MAIN_CLASS, appJar,
                    "train", "--config", config.toString(), "--out", out.toString());
            assertThat(run.exitCode()).as(run.outputTail()).isZero();
            assertThat(run.output()).as(run.outputTail()).contains("results in " + out);
            launched = cluster.launchedExecutors();
        }
        assertThat(launched).extracting(LaunchedExecutor::applicationId).as("one application ran").containsOnly(
                launched.get(0).applicationId());
        Map<String, String> workerOfExecutor = launched.stream()
                .collect(Collectors.toMap(LaunchedExecutor::executorId, LaunchedExecutor::workerId));

        SparkSession spark = LocalSpark.start("local[1]", "quickstart-on-cluster-check");
        try {
            Dataset<Row> rows = spark.read().parquet(out.resolve("trajectories").toString());
            assertThat(rows.groupBy(KEY.stream().map(name -> col(name)).toArray(Column[]::new)).count()
                    .where(col("count").gt(1)).collectAsList()).as("keys with more than one row").isEmpty();
            assertThat(distinct(rows.where(col("worker").equalTo("avg")), "layer")).as("layers of the avg rows")
                    .containsExactlyInAnyOrder("0", "1", "2");
            Dataset<Row> workerRows = rows.where(col("worker").notEqual("avg"));
            assertThat(distinct(workerRows, "worker")).containsExactlyInAnyOrder("0", "1");
            Set<String> executors = distinct(workerRows, "executor_id");
            assertThat(workerOfExecutor.keySet()).as("executors the workers launched").containsAll(executors);
            assertThat(executors.stream().map(workerOfExecutor::get).distinct())
                    .as("Workers whose executors trained, executors %s of %s", executors, launched).hasSize(2);
            Row run = spark.read().parquet(out.resolve("runs").toString()).first();
            assertThat(run.<String>getAs("status")).isEqualTo("completed");
            assertThat(run.<String>getAs("spark_master")).isEqualTo(masterUrl);
            Map<String, String> versions = run.getJavaMap(run.fieldIndex("versions"));
            assertThat(appJar.getFileName().toString()).as("versions %s", versions)
                    .isEqualTo("neuroplastic-jobs-" + versions.get("neuroplastic") + "-app.jar");
        } finally {
            spark.stop();
        }
    }

    private static Set<String> distinct(Dataset<Row> rows, String column) {
        return rows.select(col(column).cast("string")).distinct().collectAsList().stream()
                .map(row -> row.getString(0)).collect(Collectors.toSet());
    }

    /** The quickstart with 2,000 rows and 2 epochs, written where the driver reads it by absolute path. */
    private Path shrunkQuickstart() throws IOException {
        String text = Files.readString(QUICKSTART);
        assertThat(text).contains("  rows: 20000\n", "  epochs: 5\n");
        Path config = temp.resolve("quickstart-small.yaml").toAbsolutePath();
        Files.writeString(config, text.replace("  rows: 20000\n", "  rows: 2000\n").replace("  epochs: 5\n", "  epochs: 2\n"));
        return config;
    }

    /** The shaded jar that {@code package} writes beside target/lib. */
    private static Path applicationJar() throws IOException {
        Path target = Path.of(System.getProperty(StandaloneCluster.RUNTIME_CLASSPATH_PROPERTY)).getParent();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().matches("neuroplastic-jobs-.*-app\\.jar"))
                    .toList();
            assertThat(jars).as("application jars in %s (run `mvn package` first)", target).hasSize(1);
            return jars.get(0).toAbsolutePath();
        }
    }
}
