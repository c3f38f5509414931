package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** The analysis of {@link AnalysisFixture}'s results, checked against values worked out by hand. */
class AnalyzeJobTest {

    private static final double EPS = 1e-9;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path sweepIn;
    private static Path sweepOut;
    private static Path runsIn;
    private static Path runsOut;
    private static AnalysisSummary sweepSummary;

    @BeforeAll
    static void analyseTheFixture() throws IOException {
        sweepIn = dir.resolve("sweep");
        AnalysisFixture.write(SPARK.session(), sweepIn, true);
        sweepOut = dir.resolve("sweep-analysis");
        Files.createDirectories(sweepOut);
        sweepSummary = AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(sweepIn), 0.9), SPARK.session(), LocalFiles.at(sweepOut));
        runsIn = dir.resolve("runs");
        AnalysisFixture.write(SPARK.session(), runsIn, false);
        runsOut = dir.resolve("runs-analysis");
        Files.createDirectories(runsOut);
        AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(runsIn), 0.9), SPARK.session(), LocalFiles.at(runsOut));
    }

    /** The rows of a written Parquet table, keyed by the value of {@code keyColumn}. */
    private static Map<String, Row> byKey(Path out, String table, String keyColumn) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(out.resolve(table).toString()).collectAsList()) {
            rows.put(Objects.toString(row.getAs(keyColumn)), row);
        }
        return rows;
    }

    private static double number(Row row, String column) {
        return ((Number) row.getAs(column)).doubleValue();
    }

    @Test
    void finalAndBestMetricAreTheHeldOutLossOfTheLastAndBestEpoch() {
        Map<String, Row> runs = byKey(sweepOut, AnalysisTables.TRIAL_SUMMARY, "run_id");
        // a0, t1's failed first run, is not named by the trials table: in a sweep the table is the commit record.
        assertThat(runs).containsOnlyKeys("a", "b", "c");
        Row a = runs.get("a");
        assertThat(number(a, "final_test_loss")).isEqualTo(5.0);
        assertThat(number(a, "best_test_loss")).isEqualTo(4.0);
        assertThat((int) a.getAs("best_epoch")).isEqualTo(3);
        assertThat(number(a, "final_test_accuracy")).isCloseTo(0.65, within(EPS));
        assertThat(number(a, "best_test_accuracy")).isCloseTo(0.7, within(EPS));
        assertThat((int) a.getAs("epochs_evaluated")).isEqualTo(4);
        Row b = runs.get("b");
        assertThat((int) b.getAs("best_epoch")).as("a tie goes to the earliest epoch").isEqualTo(1);
        assertThat(b.isNullAt(b.fieldIndex("final_test_accuracy"))).as("regression has no accuracy").isTrue();
        // Epoch 2 of c evaluated two tasks: (2 * 100 + 5 * 300) / 400.
        Row c = runs.get("c");
        assertThat(number(c, "final_test_loss")).isEqualTo(4.25);
        assertThat(number(c, "best_test_loss")).isEqualTo(3.0);
        Row a0 = byKey(runsOut, AnalysisTables.TRIAL_SUMMARY, "run_id").get("a0");
        assertThat((String) a0.getAs("status")).isEqualTo("failed");
        assertThat((int) a0.getAs("epochs_evaluated")).isZero();
        assertThat(a0.isNullAt(a0.fieldIndex("final_test_loss"))).isTrue();
    }

    @Test
    void areaUnderTheLearningCurveIsTheTrapezoidOverEpochs() {
        Map<String, Row> runs = byKey(sweepOut, AnalysisTables.TRIAL_SUMMARY, "run_id");
        // a: (10+6)/2 + (6+4)/2 + (4+5)/2 = 8 + 5 + 4.5
        assertThat(number(runs.get("a"), "test_loss_auc")).isCloseTo(17.5, within(EPS));
        assertThat(number(runs.get("a"), "test_loss_auc_per_epoch")).isCloseTo(17.5 / 3, within(EPS));
        assertThat(number(runs.get("b"), "test_loss_auc")).isCloseTo(16.0, within(EPS));
        // c: (3 + 4.25) / 2
        assertThat(number(runs.get("c"), "test_loss_auc")).isCloseTo(3.625, within(EPS));
    }

    @Test
    void epochsToFractionIsTheFirstEpochWithThatShareOfTheTotalImprovement() {
        Map<String, Row> runs = byKey(sweepOut, AnalysisTables.TRIAL_SUMMARY, "run_id");
        // a improves by 6 in total (10 -> 4); 90% is 5.4: epoch 2 has 4, epoch 3 has 6.
        assertThat((int) runs.get("a").getAs("epochs_to_fraction")).isEqualTo(3);
        // No improvement at all: the first epoch already has all of it.
        assertThat((int) runs.get("b").getAs("epochs_to_fraction")).isEqualTo(1);
        assertThat((int) runs.get("c").getAs("epochs_to_fraction")).isEqualTo(1);
        Row a0 = byKey(runsOut, AnalysisTables.TRIAL_SUMMARY, "run_id").get("a0");
        assertThat(a0.isNullAt(a0.fieldIndex("epochs_to_fraction"))).isTrue();
        assertThat(number(runs.get("a"), "fraction")).isEqualTo(0.9);

        AnalysisTables half = AnalysisTables.of(SPARK.session(), AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(runsIn)), Optional.of(SweepMetric.HELD_OUT_LOSS), 0.5);
        Row a = half.trialSummary().where("run_id = 'a'").first();
        assertThat((int) a.getAs("epochs_to_fraction")).as("50% of 6 is 3: epoch 2 improved by 4").isEqualTo(2);
    }

    @Test
    void plasticitySummariesComeFromTheLastAveragedRows() {
        Map<String, Row> layers = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(sweepOut.resolve(AnalysisTables.LAYER_PLASTICITY).toString()).collectAsList()) {
            layers.put(row.getAs("run_id") + "/" + row.getAs("layer"), row);
        }
        assertThat(layers).containsOnlyKeys("a/0", "a/1", "a/2", "b/0");
        Row a0 = layers.get("a/0");
        assertThat((long) a0.getAs("step")).isEqualTo(30);
        assertThat(number(a0, "hebbian_norm")).isEqualTo(2.5);
        assertThat((long) a0.getAs("turnover")).as("pruned + regrown over the averaged rows: 2 * (3+2+1)").isEqualTo(12);
        assertThat(number(a0, "scaling_drift")).isCloseTo(0.2, within(EPS));
        assertThat(number(a0, "activity_mean")).isEqualTo(0.4);
        assertThat((long) layers.get("a/1").getAs("turnover")).isEqualTo(6);
        assertThat(number(layers.get("a/1"), "scaling_drift")).isCloseTo(0.3, within(EPS));
        assertThat(layers.get("a/2").isNullAt(layers.get("a/2").fieldIndex("turnover"))).as("output layer").isTrue();
        assertThat((long) layers.get("b/0").getAs("turnover")).isEqualTo(8);

        Map<String, Row> runs = byKey(sweepOut, AnalysisTables.TRIAL_SUMMARY, "run_id");
        Row a = runs.get("a");
        assertThat(number(a, "hebbian_norm")).as("mean over plastic layers").isCloseTo(2.0, within(EPS));
        assertThat((long) a.getAs("turnover")).as("sum over layers").isEqualTo(18);
        assertThat(number(a, "scaling_drift")).isCloseTo(0.25, within(EPS));
        assertThat(number(a, "activity_mean")).isCloseTo(0.5, within(EPS));
        Row b = runs.get("b");
        assertThat(number(b, "hebbian_norm")).isEqualTo(1.0);
        assertThat((long) b.getAs("turnover")).isEqualTo(8);
        assertThat(number(b, "scaling_drift")).isCloseTo(0.1, within(EPS));
        assertThat(runs.get("c").isNullAt(runs.get("c").fieldIndex("turnover"))).as("no trajectories").isTrue();
    }

    @Test
    void rankingFollowsTheSweepsMetricWithUnscoredTrialsLast() {
        List<Row> ranking = SPARK.session().read().parquet(sweepOut.resolve(AnalysisTables.RANKING).toString()).orderBy("trial_id").collectAsList();
        assertThat(ranking).extracting(r -> r.getAs("trial_id"), r -> r.getAs("rank"), r -> r.getAs("run_id"))
                .containsExactly(
                        tuple("t1", 2, "a"),
                        tuple("t2", 4, "b"),
                        tuple("t3", 1, "c"),
                        tuple("t4", null, null),
                        tuple("t5", 3, null));
        assertThat(ranking).allSatisfy(r -> {
            assertThat((String) r.getAs("metric")).isEqualTo("test_loss");
            assertThat((String) r.getAs("goal")).isEqualTo("minimize");
        });
        assertThat(sweepSummary.trials()).isEqualTo(5);
        assertThat(sweepSummary.runs()).isEqualTo(3);

        AnalysisTables maximized = AnalysisTables.of(SPARK.session(), AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(sweepIn)),
                Optional.of(new SweepMetric("test_loss", SweepMetric.Goal.MAXIMIZE)), 0.9);
        assertThat(maximized.ranking().where("rank IS NOT NULL").orderBy("rank").collectAsList())
                .extracting(r -> r.getAs("trial_id")).containsExactly("t2", "t5", "t1", "t3");
    }

    @Test
    void hyperparameterEffectIsTheMetricsMeanAndSpreadByValueWithoutFailedTrials() {
        Map<String, Row> effect = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(sweepOut.resolve(AnalysisTables.HYPERPARAMETER_EFFECT).toString()).collectAsList()) {
            effect.put(row.getAs("parameter") + "=" + row.getAs("value"), row);
        }
        assertThat(effect).containsOnlyKeys("plasticity.eta=0.01", "plasticity.eta=0.1", "plasticity.rule=oja", "plasticity.rule=hebb");
        Row small = effect.get("plasticity.eta=0.01");   // t1 5.0, t3 4.25
        assertThat((long) small.getAs("trials")).isEqualTo(2);
        assertThat(number(small, "metric_mean")).isCloseTo(4.625, within(EPS));
        assertThat(number(small, "metric_std")).isCloseTo(Math.sqrt(2 * 0.375 * 0.375), within(EPS));
        assertThat(number(small, "metric_min")).isEqualTo(4.25);
        assertThat(number(small, "metric_max")).isEqualTo(5.0);
        assertThat(number(small, "value_numeric")).isEqualTo(0.01);
        Row large = effect.get("plasticity.eta=0.1");    // t2 8.0, t5 6.0 (t4 failed)
        assertThat((long) large.getAs("trials")).isEqualTo(2);
        assertThat(number(large, "metric_mean")).isCloseTo(7.0, within(EPS));
        assertThat(number(large, "metric_std")).isCloseTo(Math.sqrt(2), within(EPS));
        Row oja = effect.get("plasticity.rule=oja");     // 5, 8, 6: deviations -4/3, 5/3, -1/3
        assertThat(number(oja, "metric_mean")).isCloseTo(19.0 / 3, within(EPS));
        assertThat(number(oja, "metric_std")).isCloseTo(Math.sqrt((16.0 / 9 + 25.0 / 9 + 1.0 / 9) / 2), within(EPS));
        assertThat(oja.isNullAt(oja.fieldIndex("value_numeric"))).isTrue();
        Row hebb = effect.get("plasticity.rule=hebb");
        assertThat((long) hebb.getAs("trials")).isEqualTo(1);
        assertThat(hebb.isNullAt(hebb.fieldIndex("metric_std"))).as("sample std of one value").isTrue();
    }

    @Test
    void withoutParameterJsonTheOtherColumnsAreTheHyperparametersAndTheLatestRunIsTheTrials() {
        StructType schema = new StructType()
                .add("trial_id", DataTypes.StringType)
                .add("eta", DataTypes.DoubleType)
                .add("status", DataTypes.StringType)
                .add("final_metric", DataTypes.DoubleType)
                .add("wall_ms", DataTypes.LongType);
        Dataset<Row> trials = SPARK.session().createDataFrame(List.of(
                RowFactory.create("t1", 0.01, "completed", 5.0, 10L),
                RowFactory.create("t2", 0.1, "completed", 8.0, 10L),
                RowFactory.create("t3", 0.01, "completed", 4.0, 10L)), schema);
        AnalysisInputs read = AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(runsIn));
        AnalysisTables tables = AnalysisTables.of(SPARK.session(),
                new AnalysisInputs(read.trajectories(), read.evaluations(), read.runs(), Optional.of(trials)),
                Optional.empty(), 0.9);
        assertThat(tables.hyperparameterEffect().orElseThrow().collectAsList())
                .extracting(r -> r.getAs("parameter"), r -> r.getAs("value"), r -> r.getAs("trials"), r -> number(r, "metric_mean"))
                .containsExactly(tuple("eta", "0.01", 2L, 4.5), tuple("eta", "0.1", 1L, 8.0));
        // t1 ran twice: a0 failed first, a ran later.
        assertThat(tables.ranking().collectAsList()).extracting(r -> r.getAs("trial_id"), r -> r.getAs("run_id"))
                .containsExactly(tuple("t3", "c"), tuple("t1", "a"), tuple("t2", "b"));
    }

    @Test
    void withoutTheSweepsConfigurationTheTrialsTableNamesTheMetricAndItsNameTheGoal() {
        StructType schema = new StructType()
                .add("trial_id", DataTypes.StringType)
                .add("metric", DataTypes.StringType)
                .add("final_metric", DataTypes.DoubleType);
        Dataset<Row> trials = SPARK.session().createDataFrame(List.of(
                RowFactory.create("t1", "test_accuracy", 0.8),
                RowFactory.create("t2", "test_accuracy", 0.9)), schema);
        AnalysisInputs read = AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(runsIn));
        AnalysisTables tables = AnalysisTables.of(SPARK.session(),
                new AnalysisInputs(read.trajectories(), read.evaluations(), read.runs(), Optional.of(trials)),
                Optional.empty(), 0.9);
        assertThat(tables.metric()).isEqualTo(new SweepMetric("test_accuracy", SweepMetric.Goal.MAXIMIZE));
        assertThat(tables.ranking().collectAsList()).extracting(r -> r.getAs("trial_id"), r -> r.getAs("rank"), r -> r.getAs("goal"))
                .containsExactly(tuple("t2", 1, "maximize"), tuple("t1", 2, "maximize"));
    }

    @Test
    void withoutTrialsTableEveryRunIsItsOwnTrialRankedByHeldOutLoss() throws IOException {
        List<Row> ranking = SPARK.session().read().parquet(runsOut.resolve(AnalysisTables.RANKING).toString())
                .where("rank IS NOT NULL").orderBy("rank").collectAsList();
        assertThat(ranking).extracting(r -> r.getAs("run_id")).containsExactly("c", "a", "b");
        assertThat(ranking).extracting(r -> number(r, "final_metric")).containsExactly(4.25, 5.0, 8.0);
        assertThat(runsOut.resolve(AnalysisTables.HYPERPARAMETER_EFFECT)).doesNotExist();
        assertThat(Files.readString(runsOut.resolve(AnalyzeJob.SETTINGS))).contains("trials_table: false", "goal: minimize");
    }

    @Test
    void layersMissingAPlasticityColumnStillGetTheirPlot() throws IOException {
        // Networks without synaptic scaling or adaptation have no activity average: three panels, not four.
        Path in = dir.resolve("no-activity");
        AnalysisFixture.write(SPARK.session(), in, false);
        Path trajectories = in.resolve("trajectories");
        Dataset<Row> withoutActivity = SPARK.session().read().parquet(trajectories.toString())
                .withColumn("activity_mean", org.apache.spark.sql.functions.lit(null).cast(DataTypes.DoubleType));
        Path rewritten = dir.resolve("no-activity-trajectories");
        withoutActivity.write().partitionBy("run_id").parquet(rewritten.toString());
        org.apache.commons.io.FileUtils.deleteDirectory(trajectories.toFile());
        Files.move(rewritten, trajectories);

        Path out = dir.resolve("no-activity-analysis");
        AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(in), 0.9), SPARK.session(), LocalFiles.at(out));

        try (Stream<Path> plots = Files.list(out.resolve(AnalysisCharts.FOLDER))) {
            List<Path> plasticity = plots.filter(p -> p.getFileName().toString().startsWith("plasticity_layer_")).toList();
            assertThat(plasticity).isNotEmpty();
            for (Path png : plasticity) {
                assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            }
        }
    }

    @Test
    void everyTableIsWrittenAsParquetAndAsOneCsvWithTheSameRows() throws IOException {
        for (String table : List.of(AnalysisTables.LEARNING_CURVES, AnalysisTables.TRIAL_SUMMARY, AnalysisTables.LAYER_PLASTICITY,
                AnalysisTables.RANKING, AnalysisTables.HYPERPARAMETER_EFFECT)) {
            List<String> csv = Files.readAllLines(sweepOut.resolve(table + ".csv"));
            String[] parquetColumns = SPARK.session().read().parquet(sweepOut.resolve(table).toString()).columns();
            assertThat(csv.get(0).split(",")).as(table).containsExactly(parquetColumns);
            assertThat((long) csv.size() - 1).as(table).isEqualTo(SPARK.session().read().parquet(sweepOut.resolve(table).toString()).count());
        }
        assertThat(Files.readAllLines(sweepOut.resolve(AnalysisTables.LEARNING_CURVES + ".csv")))
                .contains("a,t1,3,4.0,0.7,50", "c,t3,2,4.25,,400");
    }

    @Test
    void reportEmbedsEveryPlotAndReferencesNothingOutside() throws IOException {
        String html = Files.readString(sweepOut.resolve(AnalyzeJob.REPORT));
        List<Path> plots;
        try (Stream<Path> files = Files.list(sweepOut.resolve(AnalysisCharts.FOLDER))) {
            plots = files.sorted().toList();
        }
        // Learning curves, layers 0 and 1 (layer 2 has no plasticity), one chart per hyperparameter.
        assertThat(plots).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("learning_curves.png",
                "plasticity_layer_0.png", "plasticity_layer_1.png", "metric_vs_parameter_0.png", "metric_vs_parameter_1.png");
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (Path plot : plots) {
            byte[] bytes = Files.readAllBytes(plot);
            assertThat(bytes.length).as(plot.toString()).isGreaterThan(1000);
            assertThat(Arrays.copyOf(bytes, 8)).as(plot.toString()).isEqualTo(magic);
        }
        assertThat(html.split("<img src=\"data:image/png;base64,|<img alt=\"[^\"]*\" src=\"data:image/png;base64,", -1))
                .hasSize(plots.size() + 1);
        assertThat(html).contains("data:image/png;base64,iVBORw0KGgo");
        assertThat(html.toLowerCase()).doesNotContain("http://", "https://", "src=\"plots", "<link", "<script");
        assertThat(html).contains("<h2>ranking</h2>", "<h2>hyperparameter_effect</h2>", "<td class=\"text\">t3</td>");
        assertThat(sweepSummary.plots()).isEqualTo(plots.size());
    }

    @Test
    void aRunWithoutTrajectoriesGetsEmptyPlasticityTablesAndNoPlasticityPlots() throws IOException {
        Path in = dir.resolve("no-trajectories");
        AnalysisFixture.write(SPARK.session(), in, false);
        try (Stream<Path> files = Files.walk(in.resolve("trajectories"))) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        Path out = Files.createDirectories(dir.resolve("no-trajectories-analysis"));
        AnalysisSummary summary = AnalyzeJob.run(AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(in), 0.9), SPARK.session(), LocalFiles.at(out));
        assertThat(summary.plots()).as("the learning curves only").isEqualTo(1);
        assertThat(Files.readAllLines(out.resolve(AnalysisTables.LAYER_PLASTICITY + ".csv")))
                .containsExactly("run_id,trial_id,layer,epoch,step,hebbian_norm,mask_density,turnover,scaling_drift,"
                        + "scaling_mean,activity_mean,weight_norm");
        assertThat(SPARK.session().read().parquet(out.resolve(AnalysisTables.TRIAL_SUMMARY).toString()).where("turnover IS NOT NULL").count())
                .isZero();
    }

    @Test
    void inputWithoutResultsOrFractionOutOfRangeIsRejected() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(empty), 0.9)).isInstanceOf(InvalidInputException.class)
                .hasMessage("--in " + empty + " holds neither runs/ nor evaluations/; expected the output folder of a train run or a sweep");
        assertThatThrownBy(() -> AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(dir.resolve("missing")), 0.9)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(sweepIn), 0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("--fraction must be in (0, 1], found 0.0");
        assertThatThrownBy(() -> AnalysisSettings.of( LocalFiles.storage(),LocalFiles.at(sweepIn), 1.5)).isInstanceOf(InvalidInputException.class)
                .hasMessage("--fraction must be in (0, 1], found 1.5");
    }
}
