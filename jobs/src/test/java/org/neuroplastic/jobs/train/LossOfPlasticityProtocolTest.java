package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.TaskStream;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * conf/loss-of-plasticity.yaml end to end, CI-sized: the shipped protocol on the first 2,000 Fashion-MNIST
 * training images, 4 online tasks of 320 examples instead of its full stream. Skipped when the data set is
 * not installed.
 */
class LossOfPlasticityProtocolTest {

    private static final Path CONFIG = Path.of("..", "conf", "loss-of-plasticity.yaml");
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    private static final List<String> SMALL = List.of("data.limit=2000", "data.test_limit=100",
            "data.stream.tasks=4", "data.stream.examples_per_task=320");

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @Test
    void theProtocolRunsOnlineTasksAndRecordsTheirOnlineAccuracy() {
        assumeThat(DATA).exists();
        TrainConfig config = TrainConfig.read(LocalFiles.load(CONFIG, SMALL));
        assertThat(((DataSource.Streamed) config.data()).stream()).isEqualTo(new TaskStream.Permuted(4, 7, 320));
        Path out = temp.resolve("loss-of-plasticity");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<Row> rows = SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString())
                .orderBy("task").collectAsList();
        assertThat(rows).hasSize(4);
        for (Row row : rows) {
            assertThat(row.<String>getAs("split")).isEqualTo("online");
            assertThat(row.<Long>getAs("examples")).isEqualTo(320);
            assertThat(row.<Double>getAs("accuracy")).isBetween(0.0, 1.0);
        }
        // The untrained network guesses the first task; by the last, SGD has learned something it can carry.
        assertThat(rows.get(3).<Double>getAs("accuracy")).isGreaterThan(0.2);
        String console = printed.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("tasks 1-1: online accuracy ").contains("tasks 4-4: online accuracy ");
        long trajectoryDiagnostics = SPARK.session().read().parquet(out.resolve("trajectories").toString())
                .where("dead_fraction IS NOT NULL").count();
        assertThat(trajectoryDiagnostics).isPositive();
    }
}
