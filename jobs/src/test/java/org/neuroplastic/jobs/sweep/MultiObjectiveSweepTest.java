package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code metric:} as a list: parsed, the first ranking, every one recorded per trial (local[2]). */
class MultiObjectiveSweepTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private static final String CLASSIFICATION = """
            base:
              data: {format: synthetic, generator: classification, classes: 3, rows: 240, partitions: 2, seed: 1, test_fraction: 0.25}
              network:
                n_in: 10
                hidden: [{size: 6, activation: relu, plasticity: {hebbian: {enabled: true, rule: oja, eta: 0.01}}}]
                updater: {name: adam, learning_rate: 0.01}
                seed: 3
              training: {workers: 2, batch_size_per_worker: 30, averaging_frequency: 2, epochs: 2}
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.001, 0.03]}
            """;

    private static SweepConfig sweep(String rest) {
        return SweepConfig.read(ConfigDocument.parse("sweep.yaml", CLASSIFICATION + rest, List.of()));
    }

    @Test
    void aListOfMetricsKeepsItsOrderAndEachGoalAndTheFirstRanks() {
        SweepConfig config = sweep("metric:\n  - {name: test_accuracy}\n  - {name: test_loss, goal: maximize}\n");

        assertThat(config.metrics()).containsExactly(new Metric(Metric.Name.TEST_ACCURACY, Metric.Goal.MAXIMIZE),
                new Metric(Metric.Name.TEST_LOSS, Metric.Goal.MAXIMIZE));
        assertThat(config.metric()).isEqualTo(config.metrics().get(0));
        assertThat(sweep("metric: {name: test_accuracy}\n").metrics())
                .containsExactly(new Metric(Metric.Name.TEST_ACCURACY, Metric.Goal.MAXIMIZE));
        assertThat(sweep("").metrics()).containsExactly(new Metric(Metric.Name.TEST_LOSS, Metric.Goal.MINIMIZE));
    }

    @Test
    void aMetricListedTwiceOrAnEmptyListIsRefusedInOneLine() {
        assertThatThrownBy(() -> sweep("metric: [{name: test_loss}, {name: test_loss, goal: maximize}]\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("sweep.yaml: metric lists test_loss twice; name each metric once");
        assertThatThrownBy(() -> sweep("metric: []\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("metric must list at least one entry").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> sweep("metric: [{name: test_loss}, {name: density}]\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("metric[1].name").hasMessageNotContaining("\n");
    }

    @Test
    void everyTrialRecordsEveryMetricAfterItsLastEpoch() {
        SweepConfig config = sweep("metric: [{name: test_accuracy}, {name: test_loss}]\n");
        Path out = dir.resolve("sweep");
        SweepJob.run(config, SPARK.session(), LocalFiles.at(out), false, new PrintStream(new ByteArrayOutputStream()));

        List<Row> trials = SPARK.session().read().parquet(out.resolve("trials").toString()).orderBy("trial_id")
                .collectAsList();
        assertThat(trials).hasSize(2);
        for (Row trial : trials) {
            Row last = SPARK.session().read().parquet(out.resolve("evaluations").toString())
                    .where(col("run_id").equalTo(trial.<String>getAs("run_id")).and(col("split").equalTo("test")))
                    .orderBy(col("epoch").desc()).first();
            Map<String, Double> finals = trial.getJavaMap(trial.fieldIndex("final_metrics"));
            assertThat(finals).containsOnlyKeys("test_accuracy", "test_loss");
            assertThat(finals.get("test_accuracy")).isEqualTo(last.<Double>getAs("accuracy"));
            assertThat(finals.get("test_loss")).isEqualTo(last.<Double>getAs("loss"));
            assertThat(trial.<String>getAs("metric")).isEqualTo("test_accuracy");
            assertThat(trial.<Double>getAs("final_metric")).isEqualTo(finals.get("test_accuracy"));
            assertThat(trial.<Integer>getAs("schema_version")).isEqualTo(3);
        }
    }
}
