package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The analysis of {@link ReplicaFixture}'s sweep with {@code --baseline network.variant=dense}, worked out by hand. */
class ReplicaStatisticsTest {

    private static final double EPS = 1e-4;
    private static final String DENSE = "network.variant=dense";
    private static final String PLASTIC = "network.variant=plastic";
    private static final String SPARSE = "network.variant=sparse";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path in;
    private static Path out;
    private static AnalysisSummary summary;

    @BeforeAll
    static void analyseTheSweep() throws IOException {
        in = dir.resolve("sweep");
        ReplicaFixture.write(SPARK.session(), in);
        out = dir.resolve("analysis");
        summary = AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9,
                Optional.of(Baseline.parse(DENSE))), SPARK.session(), LocalFiles.at(out));
    }

    /** Rows of a written table keyed by "setting metric". */
    private static Map<String, Row> rows(String table) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(out.resolve(table).toString()).collectAsList()) {
            rows.put(row.getAs("setting") + " " + row.getAs("metric"), row);
        }
        return rows;
    }

    private static double number(Row row, String column) {
        return ((Number) row.getAs(column)).doubleValue();
    }

    @Test
    void replicaStatisticsAreTheMeanAndTIntervalOfTheReplicasThatTrainedAllTheirEpochs() {
        Map<String, Row> statistics = rows(ReplicaTables.REPLICA_STATISTICS);
        // Three settings × final and best loss and the loss AUC; a regression has no accuracy, a single task no ACC.
        assertThat(statistics).hasSize(9);
        // dense final loss 4, 5, 6: mean 5, sd 1; t(0.975, 2) = 4.3027, half width 4.3027 / sqrt(3) = 2.4841.
        Row dense = statistics.get(DENSE + " final_test_loss");
        assertThat((int) dense.getAs("n")).isEqualTo(3);
        assertThat(number(dense, "mean")).isCloseTo(5.0, within(1e-12));
        assertThat(number(dense, "sd")).isCloseTo(1.0, within(1e-12));
        assertThat(number(dense, "ci_low")).isCloseTo(5 - 2.4841, within(EPS));
        assertThat(number(dense, "ci_high")).isCloseTo(5 + 2.4841, within(EPS));
        // dense AUC (6+4)/2, (8+5)/2, (7+6)/2 = 5, 6.5, 6.5: mean 6, sd sqrt(1.5 / 2) = 0.8660, half 4.3027 * 0.5 = 2.1513.
        Row denseAuc = statistics.get(DENSE + " test_loss_auc");
        assertThat(number(denseAuc, "mean")).isCloseTo(6.0, within(1e-12));
        assertThat(number(denseAuc, "sd")).isCloseTo(0.8660, within(EPS));
        assertThat(number(denseAuc, "ci_low")).isCloseTo(6 - 2.1513, within(EPS));
        // plastic: the failed replica is missing; 3 and 3.5: mean 3.25, sd 0.3536, half 12.7062 * 0.25 = 3.1766.
        Row plastic = statistics.get(PLASTIC + " final_test_loss");
        assertThat((int) plastic.getAs("n")).isEqualTo(2);
        assertThat(number(plastic, "mean")).isCloseTo(3.25, within(1e-12));
        assertThat(number(plastic, "ci_high")).isCloseTo(3.25 + 3.1766, within(EPS));
        // sparse: one replica ok (one failed, one stopped by successive halving): no spread, no interval.
        Row sparse = statistics.get(SPARSE + " final_test_loss");
        assertThat((int) sparse.getAs("n")).isEqualTo(1);
        assertThat(number(sparse, "mean")).isEqualTo(4.5);
        for (String column : List.of("sd", "ci_low", "ci_high")) {
            assertThat(sparse.isNullAt(sparse.fieldIndex(column))).as(column).isTrue();
        }
    }

    @Test
    void pairedDifferencesPairReplicasBySeedWithTheBaseline() {
        Map<String, Row> differences = rows(ReplicaTables.PAIRED_DIFFERENCES);
        assertThat(differences).hasSize(6);
        // plastic - dense, seed 7: 3 - 4 = -1, seed 8: 3.5 - 5 = -1.5; seed 9 (plastic failed) is dropped.
        // Mean -1.25, sd 0.3536, half width 12.7062 * 0.3536 / sqrt(2) = 3.1766.
        Row plastic = differences.get(PLASTIC + " final_test_loss");
        assertThat((String) plastic.getAs("baseline")).isEqualTo(DENSE);
        assertThat((int) plastic.getAs("n")).isEqualTo(2);
        assertThat((int) plastic.getAs("unpaired")).isEqualTo(1);
        assertThat(number(plastic, "mean_difference")).isCloseTo(-1.25, within(1e-12));
        assertThat(number(plastic, "sd")).isCloseTo(0.3536, within(EPS));
        assertThat(number(plastic, "ci_low")).isCloseTo(-1.25 - 3.1766, within(EPS));
        assertThat(number(plastic, "ci_high")).isCloseTo(-1.25 + 3.1766, within(EPS));
        // AUC: plastic 4 and 4.75 against dense 5 and 6.5.
        assertThat(number(differences.get(PLASTIC + " test_loss_auc"), "mean_difference")).isCloseTo(-1.375, within(1e-12));
        // sparse: seed 7 alone, 4.5 - 4 = 0.5; dense seeds 8 and 9 are unpaired.
        Row sparse = differences.get(SPARSE + " final_test_loss");
        assertThat((int) sparse.getAs("n")).isEqualTo(1);
        assertThat((int) sparse.getAs("unpaired")).isEqualTo(2);
        assertThat(number(sparse, "mean_difference")).isCloseTo(0.5, within(1e-12));
        assertThat(sparse.isNullAt(sparse.fieldIndex("ci_low"))).isTrue();
    }

    @Test
    void bothTablesAreWrittenAsCsvAndInTheReportWithTheBandedCurves() throws IOException {
        assertThat(Files.readAllLines(out.resolve(ReplicaTables.REPLICA_STATISTICS + ".csv")))
                .first().isEqualTo("setting,metric,n,mean,sd,ci_low,ci_high");
        assertThat(Files.readAllLines(out.resolve(ReplicaTables.REPLICA_STATISTICS + ".csv")))
                .as("null as an empty field").contains(SPARSE + ",final_test_loss,1,4.5,,,");
        assertThat(Files.readAllLines(out.resolve(ReplicaTables.PAIRED_DIFFERENCES + ".csv")))
                .first().isEqualTo("setting,baseline,metric,n,unpaired,mean_difference,sd,ci_low,ci_high");
        String report = Files.readString(out.resolve(AnalyzeJob.REPORT));
        assertThat(report).contains("<h2>paired_differences</h2>", "<h2>replica_statistics</h2>", "baseline setting <b>" + DENSE);
        // Dense has 3 replicas measured, plastic 2, sparse 1 (not drawn: no band with one replica).
        assertThat(report).contains("Held-out loss per epoch, mean and 95% t interval, 2 settings \u2014 2 to 3 seeds",
                "Dashed vertical lines: early-stopping rungs after epoch 1.");
        assertThat(Files.readAllBytes(out.resolve(AnalysisCharts.FOLDER).resolve(ReplicaCharts.FILE)))
                .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(out.resolve(AnalyzeJob.SETTINGS))).contains("baseline: '" + DENSE + "'");
        assertThat(summary.plots()).as("banded curves, the plain ones, the metric against network.variant").isEqualTo(3);
    }

    @Test
    void aBaselineThatMatchesNoTrialIsRefusedNamingTheValues() throws IOException {
        Path refused = dir.resolve("refused");
        assertThatThrownBy(() -> AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9,
                Optional.of(Baseline.parse("network.variant=resnet"))), SPARK.session(), LocalFiles.at(refused)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--baseline network.variant=resnet matches no trial: network.variant takes the values dense, plastic, sparse");
        assertThat(refused).doesNotExist();

        // A train run's folder has no settings to compare.
        Path runs = dir.resolve("train-runs");
        AnalysisFixture.write(SPARK.session(), runs, false);
        assertThatThrownBy(() -> AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(runs), 0.9,
                Optional.of(Baseline.parse(DENSE))), SPARK.session(), LocalFiles.at(refused)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--baseline " + DENSE + " needs a sweep's folder, with trials/ naming each trial's setting and seed; "
                        + "found a train run's");
        assertThat(refused).doesNotExist();
    }

    @Test
    void continualStreamsGetStatisticsOfAccBwtAndForgetting() throws IOException {
        // ContinualFixture's runs s and m as two replicas of one setting. m's matrix misses R[2][1], so its ACC,
        // BWT and F are null and only s counts: ACC = (0.50 + 0.70 + 0.95) / 3, BWT = -0.25, F = 0.275.
        Path continual = dir.resolve("continual");
        ContinualFixture.write(SPARK.session(), continual);
        StructType schema = new StructType().add("trial_id", DataTypes.StringType).add("setting", DataTypes.IntegerType)
                .add("replica", DataTypes.IntegerType).add("parameters", DataTypes.StringType).add("seed", DataTypes.LongType)
                .add("run_id", DataTypes.StringType).add("status", DataTypes.StringType).add("final_metric", DataTypes.DoubleType);
        SPARK.session().createDataFrame(List.of(
                        // "ok": the status of a trial that trained all its epochs in trials tables of version 1, still read as such.
                        RowFactory.create("t0", 0, 0, "{\"data.stream.kind\":\"split\"}", 1L, "s", "ok", 0.5),
                        RowFactory.create("t1", 0, 1, "{\"data.stream.kind\":\"split\"}", 2L, "m", "ok", 0.5)), schema)
                .write().parquet(continual.resolve(AnalysisInputs.TRIALS).toString());
        // The tables the analyze job writes, without its plots and report (the other tests here run the whole job).
        AnalysisInputs inputs = AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(continual));
        AnalysisTables tables = AnalysisTables.of(SPARK.session(), inputs,
                SweepMetric.read(LocalFiles.storage(), LocalFiles.at(continual)), 0.9);
        Map<String, Row> statistics = new HashMap<>();
        for (Row row : ReplicaTables.of(SPARK.session(), inputs, tables, Optional.empty()).orElseThrow().replicaStatistics()
                .collectAsList()) {
            statistics.put((String) row.getAs("metric"), row);
        }
        assertThat(statistics.get("final_test_accuracy").<Integer>getAs("n")).isEqualTo(2);
        Row acc = statistics.get("average_accuracy");
        assertThat(acc.<Integer>getAs("n")).isEqualTo(1);
        assertThat(number(acc, "mean")).isCloseTo(2.15 / 3, within(1e-12));
        assertThat(acc.isNullAt(acc.fieldIndex("sd"))).isTrue();
        assertThat(number(statistics.get("backward_transfer"), "mean")).isCloseTo(-0.25, within(1e-12));
        assertThat(number(statistics.get("average_forgetting"), "mean")).isCloseTo(0.275, within(1e-12));
    }
}
