package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep whose second trial blows up for real (plain SGD at learning rate 20): that trial ends as
 * {@code diverged} with its rows up to the step where it was seen, its run says {@code diverged}, and the
 * other trial trains to its end; in both modes.
 */
class SweepDivergenceTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final String LEARNING_RATES = """
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.001, 20]}
            """;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"parallel", "averaged"})
    void aDivergingTrialIsMarkedDivergedAndTheSweepGoesOn(String mode) {
        String base = SweepFiles.BASE.replace("{name: adam, learning_rate: 0.01}", "{name: sgd, learning_rate: 0.001}");
        assertThat(base).contains("name: sgd");
        SweepConfig sweep = SweepConfig.read(ConfigDocument.parse("sweep.yaml", base + LEARNING_RATES + "mode: " + mode
                + "\n", List.of()));
        Path out = dir.resolve(mode);

        SweepSummary summary = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(out), false, QUIET);

        assertThat(summary.completed()).isEqualTo(1);
        assertThat(summary.diverged()).isEqualTo(1);
        assertThat(summary.describe()).contains("1 completed", "1 diverged");
        List<Row> trials = SPARK.session().read().parquet(out.resolve("trials").toString()).orderBy("trial_id")
                .collectAsList();
        assertThat(trials).extracting(r -> r.<String>getAs("status")).containsExactly("completed", "diverged");
        Row diverged = trials.get(1);
        assertThat(diverged.<String>getAs("error")).matches(
                "(layer \\d \\S.*|training loss( of worker \\d)?) became (NaN|infinite) at step \\d+ \\(epoch 1\\)");
        long step = Long.parseLong(diverged.<String>getAs("error").replaceAll(".* at step (\\d+) .*", "$1"));
        String runId = diverged.getAs("run_id");
        Row run = SPARK.session().read().parquet(out.resolve("runs").toString()).where(col("run_id").equalTo(runId))
                .first();
        assertThat(run.<String>getAs("status")).isEqualTo("diverged");
        List<Row> steps = SPARK.session().read().parquet(out.resolve("trajectories").toString())
                .where(col("run_id").equalTo(runId)).selectExpr("min(step)", "max(step)").collectAsList();
        assertThat(steps.get(0).getLong(0)).isEqualTo(1);
        assertThat(steps.get(0).getLong(1)).isEqualTo(step);
    }
}
