package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that blows up for real (plain SGD at learning rate 20 on a regression whose targets have
 * variance 121): it stops at the round where the averaged network or a worker's loss first holds a NaN
 * or an infinity, says which layer and quantity in one line, exits with 3, and commits its rows up to
 * that step with the run marked diverged.
 */
class TrainDivergenceTest {

    private static final Pattern MESSAGE = Pattern.compile(
            "run \\S+ diverged: (layer \\d \\S.* became (NaN|infinite)|training loss of worker \\d became (NaN|infinite))"
                    + " at step (\\d+) \\(epoch 1\\)");

    static final String DIVERGING = """
            data: {format: synthetic, generator: regression, rows: 600, partitions: 2, seed: 5, test_fraction: 0.2}
            network:
              n_in: 10
              hidden:
                - size: 8
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.05, alpha: free, alpha_init: 0.05}
              output: {activation: identity, loss: mse}
              updater: {name: sgd, learning_rate: 20}
              seed: 5
            training: {workers: 2, batch_size_per_worker: 10, averaging_frequency: 2, epochs: 3, trajectories: true}
            """;

    @TempDir
    Path dir;

    @Test
    void aRunWhoseStateBlowsUpStopsThereKeepsItsRowsAndExitsWithThree() throws Exception {
        Path config = Files.writeString(dir.resolve("diverging.yaml"), DIVERGING);
        Path out = dir.resolve("out");

        CommandRun result = CommandRun.of("train", "--config", config, "--out", out, "--master", "local[2]");

        assertThat(result.code()).as(result.err()).isEqualTo(Neuroplastic.DIVERGED);
        assertThat(result.errLines()).hasSize(2);
        Matcher message = MESSAGE.matcher(result.errLines().get(0));
        assertThat(message.matches()).as(result.errLines().get(0)).isTrue();
        long step = Long.parseLong(message.group(4));
        assertThat(result.errLines().get(1)).isEqualTo("results in " + out.toAbsolutePath());

        SparkSession spark = LocalSpark.start("local[1]", "divergence-check");
        try {
            Row run = spark.read().parquet(out.resolve("runs").toString()).first();
            assertThat(run.<String>getAs("status")).isEqualTo("diverged");
            assertThat(run.<String>getAs("error")).isEqualTo(result.errLines().get(0).replaceFirst("run \\S+ diverged: ", ""));
            assertThat(run.<Integer>getAs("epochs_completed")).isZero();
            var rows = spark.read().parquet(out.resolve("trajectories").toString());
            assertThat(rows.agg(max("step")).first().getLong(0)).isEqualTo(step);
            List<Row> last = rows.where(col("step").equalTo(step).and(col("worker").equalTo("avg"))).collectAsList();
            assertThat(last).as("averaged rows of the step that diverged").isNotEmpty();
            assertThat(rows.where(col("step").equalTo(1)).count()).as("rows from the first step on").isPositive();
            assertThat(out.resolve("model.zip")).doesNotExist();
        } finally {
            spark.stop();
        }
    }
}
