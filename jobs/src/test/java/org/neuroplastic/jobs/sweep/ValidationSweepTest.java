package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Dataset;
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
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sweeps that select on the validation split and report the test split (issue 19, item 2). */
class ValidationSweepTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static final String VALIDATED_BASE = SweepFiles.BASE.replace("test_fraction: 0.25}",
            "test_fraction: 0.25, validation_fraction: 0.25}");

    private static final String HALVING = """
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.00001, 0.0001, 0.003, 0.03]}
              training.epochs: {values: [3]}
            early_stop: {rungs: 1, reduction_factor: 2, min_epochs: 1}
            metric: {name: validation_loss}
            """;

    /** Two trials, one rung: the fewest trainings (2 + 1) that rank, stop one and promote the other. */
    private static final String TWO_TRIAL_HALVING = HALVING
            .replace("[0.00001, 0.0001, 0.003, 0.03]", "[0.00001, 0.03]").replace("{values: [3]}", "{values: [2]}");

    @TempDir
    Path dir;

    private static SweepConfig sweep(String base, String rest) {
        return SweepConfig.read(ConfigDocument.parse("sweep.yaml", base + rest, List.of()));
    }

    private Dataset<Row> table(Path out, String name) {
        return SPARK.session().read().parquet(out.resolve(name).toString());
    }

    /** Epoch to loss of one run's rows of {@code split}. */
    private Map<Integer, Double> losses(Path out, String runId, String split) {
        return table(out, "evaluations").where(col("run_id").equalTo(runId).and(col("split").equalTo(split)))
                .collectAsList().stream().collect(Collectors.toMap(r -> r.<Integer>getAs("epoch"), r -> r.<Double>getAs("loss")));
    }

    @Test
    void parallelHalvingRanksAndRecordsTheValidationLossAndReportsTheTestLoss() {
        Path out = dir.resolve("parallel");
        SweepSummary summary = SweepJob.run(sweep(VALIDATED_BASE, TWO_TRIAL_HALVING), SPARK.session(), LocalFiles.at(out), false,
                QUIET);
        assertRankedOnValidation(out, summary);
    }

    @Test
    void averagedHalvingRanksAndRecordsTheValidationLossAndReportsTheTestLoss() {
        Path out = dir.resolve("averaged");
        SweepSummary summary = SweepJob.run(sweep(VALIDATED_BASE, TWO_TRIAL_HALVING + "mode: averaged\n"), SPARK.session(),
                LocalFiles.at(out), false, QUIET);
        assertRankedOnValidation(out, summary);
    }

    @Test
    void asynchronousHalvingRecordsTheValidationLoss() {
        Path out = dir.resolve("asha");
        SweepSummary summary = SweepJob.run(sweep(VALIDATED_BASE, HALVING.replace("early_stop: {",
                "parallelism: 2\nearly_stop: {kind: asha, ")), SPARK.session(), LocalFiles.at(out), false, QUIET);
        List<Row> trials = table(out, "trials").collectAsList();
        assertThat(trials).hasSize(4);
        for (Row trial : trials) {
            Map<Integer, Double> validation = losses(out, trial.getAs("run_id"), "validation");
            assertThat(validation).hasSize(trial.<Integer>getAs("epochs_completed"));
            assertThat(trial.<Double>getAs("best_metric"))
                    .isEqualTo(validation.values().stream().min(Double::compare).orElseThrow());
        }
        assertThat(summary.best().metric()).isEqualTo("validation_loss");
    }

    private void assertRankedOnValidation(Path out, SweepSummary summary) {
        List<Row> trials = table(out, "trials").collectAsList();
        assertThat(trials).hasSize(2);
        assertThat(summary.completed()).isEqualTo(1);
        assertThat(summary.stopped()).isEqualTo(1);
        double worstSurvivorAtRung = Double.NEGATIVE_INFINITY;
        double bestStoppedAtRung = Double.POSITIVE_INFINITY;
        for (Row trial : trials) {
            String runId = trial.getAs("run_id");
            Map<Integer, Double> validation = losses(out, runId, "validation");
            Map<Integer, Double> test = losses(out, runId, "test");
            int epochs = trial.getAs("epochs_completed");
            assertThat(validation.keySet()).as("a validation row per epoch").isEqualTo(test.keySet()).hasSize(epochs);
            assertThat(trial.<String>getAs("metric")).isEqualTo("validation_loss");
            assertThat(trial.<Double>getAs("final_metric")).isEqualTo(validation.get(epochs));
            assertThat(trial.<Double>getAs("best_metric"))
                    .isEqualTo(validation.values().stream().min(Double::compare).orElseThrow());
            Map<String, Double> finals = trial.getJavaMap(trial.fieldIndex("final_metrics"));
            assertThat(finals).containsEntry("validation_loss", validation.get(epochs))
                    .as("the test figure is recorded for reporting").containsEntry("test_loss", test.get(epochs));
            if ("stopped".equals(trial.getAs("status"))) {
                bestStoppedAtRung = Math.min(bestStoppedAtRung, validation.get(1));
            } else {
                worstSurvivorAtRung = Math.max(worstSurvivorAtRung, validation.get(1));
            }
        }
        assertThat(worstSurvivorAtRung).as("promoted at the rung by the validation loss").isLessThanOrEqualTo(bestStoppedAtRung);
        double best = trials.stream().mapToDouble(r -> r.<Double>getAs("best_metric")).min().orElseThrow();
        assertThat(summary.best().bestMetric()).isEqualTo(best);
    }

    @Test
    void aValidationMetricNeedsAValidationSplitInTheBase() {
        assertThatThrownBy(() -> sweep(SweepFiles.BASE, "method: grid\nparameters:\n  training.epochs: {values: [1]}\n"
                + "metric: {name: validation_loss}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("sweep.yaml: metric.name validation_loss needs a validation split, but the base "
                        + "configuration has no data.validation_fraction")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> sweep(VALIDATED_BASE, "method: grid\nparameters:\n  training.epochs: {values: [1]}\n"
                + "metric: {name: validation_accuracy}\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("metric.name validation_accuracy needs a classification data set");
    }

    @Test
    void replicasDrawTheirOwnValidationSplitBesideATestFile() throws Exception {
        Path csv = java.nio.file.Files.writeString(dir.resolve("d.csv"), "a,label\n1,0.5\n2,1.5\n");
        SweepConfig sweep = sweep("""
                base:
                  data: {format: csv, path: %1$s, test_path: %1$s, task: regression, validation_fraction: 0.5,
                         split_seed: 4}
                  network: {n_in: 1, hidden: [{size: 2}]}
                  training: {epochs: 1}
                """.formatted(csv), "method: grid\nparameters:\n  training.epochs: {values: [1]}\nreplicas: 2\n"
                + "metric: {name: validation_loss}\n");
        assertThat(sweep.trials()).extracting(t -> ((org.neuroplastic.jobs.config.DataSource.Validated) t.config().data())
                .validation().seed()).containsExactly(4L, 5L);
    }

    @Test
    void validationMetricsServeTpeAndMultiObjectiveLists() {
        SweepConfig tpe = sweep(VALIDATED_BASE, """
                method: tpe
                count: 4
                parallelism: 2
                parameters:
                  network.updater.learning_rate: {distribution: log_uniform, min: 0.0001, max: 0.1}
                metric:
                  - {name: validation_loss}
                  - {name: test_loss}
                """);
        assertThat(tpe.metric().name()).isEqualTo(Metric.Name.VALIDATION_LOSS);
        assertThat(tpe.metric().goal()).isEqualTo(Metric.Goal.MINIMIZE);
        assertThat(tpe.metric().split()).isEqualTo("validation");
        assertThat(tpe.metrics()).extracting(Metric::column).containsExactly("validation_loss", "test_loss");
    }
}
