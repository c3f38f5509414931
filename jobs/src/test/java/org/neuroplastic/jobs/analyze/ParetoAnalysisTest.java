package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A two-metric sweep over {@link AnalysisFixture}'s runs, accuracy (maximize) against loss (minimize):
 * <pre>
 * trial run status     accuracy loss   Pareto-optimal
 * t1    a   completed  0.7      5.0    yes
 * t2    b   completed  0.9      8.0    yes (ties t6)
 * t3    c   completed  0.6      4.25   yes (lowest loss)
 * t4    -   failed     -        -      no, unranked
 * t5    -   stopped    0.7      6.0    no: t1 as accurate, lower loss
 * t6    -   completed  0.9      8.0    yes (ties t2)
 * t7    -   completed  0.5      9.0    no
 * </pre>
 * Ranked by accuracy within the front (t2, t6, t1, t3), then the rest (t5, t7).
 */
class ParetoAnalysisTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path in;
    private static Path out;

    @BeforeAll
    static void analyseATwoMetricSweep() throws IOException {
        in = dir.resolve("sweep");
        AnalysisFixture.write(SPARK.session(), in, false);
        StructType schema = new StructType()
                .add("trial_id", DataTypes.StringType)
                .add("parameters", DataTypes.StringType)
                .add("run_id", DataTypes.StringType)
                .add("status", DataTypes.StringType)
                .add("metric", DataTypes.StringType)
                .add("final_metric", DataTypes.DoubleType)
                .add("best_metric", DataTypes.DoubleType)
                .add("final_metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true));
        List<Row> trials = List.of(
                trial("t1", "a", "completed", 0.7, 5.0),
                trial("t2", "b", "completed", 0.9, 8.0),
                trial("t3", "c", "completed", 0.6, 4.25),
                trial("t4", null, "failed", null, null),
                trial("t5", null, "stopped", 0.7, 6.0),
                trial("t6", null, "completed", 0.9, 8.0),
                trial("t7", null, "completed", 0.5, 9.0));
        SPARK.session().createDataFrame(trials, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .parquet(in.resolve(AnalysisInputs.TRIALS).toString());
        Files.writeString(in.resolve(SweepMetric.EFFECTIVE_CONFIG), "method: grid\nmetric:\n"
                + "  - {name: test_accuracy, goal: maximize}\n  - {name: test_loss}\n");
        out = dir.resolve("analysis");
        Files.createDirectories(out);
        AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9), SPARK.session(), LocalFiles.at(out));
    }

    private static Row trial(String trial, String run, String status, Double accuracy, Double loss) {
        Map<String, Double> finals = new HashMap<>();
        if (accuracy != null) {
            finals.put("test_accuracy", accuracy);
            finals.put("test_loss", loss);
        }
        return RowFactory.create(trial, "{\"eta\": 0.1}", run, status, "test_accuracy", accuracy, accuracy, finals);
    }

    @Test
    void theRankingMarksTheParetoFrontAndRanksItFirstByTheFirstMetric() {
        List<Row> ranking = SPARK.session().read().parquet(out.resolve(AnalysisTables.RANKING).toString())
                .orderBy("trial_id").collectAsList();
        assertThat(ranking).extracting(r -> r.getAs("trial_id"), r -> r.getAs("pareto_optimal"), r -> r.getAs("rank"))
                .containsExactly(
                        tuple("t1", true, 3),
                        tuple("t2", true, 1),
                        tuple("t3", true, 4),
                        tuple("t4", false, null),
                        tuple("t5", false, 5),
                        tuple("t6", true, 2),
                        tuple("t7", false, 6));
        assertThat(ranking).extracting(r -> r.getAs("final_test_accuracy"), r -> r.getAs("final_test_loss"))
                .contains(tuple(0.6, 4.25), tuple(null, null));
        assertThat(ranking).allSatisfy(r -> assertThat((String) r.getAs("goal")).isEqualTo("maximize"));
    }

    @Test
    void theFrontIsDrawnAndTheReportAndSettingsNameEveryMetric() throws IOException {
        assertThat(out.resolve(AnalysisCharts.FOLDER).resolve(ParetoChart.FILE)).isNotEmptyFile();
        assertThat(Files.readString(out.resolve(AnalyzeJob.REPORT))).contains("within the Pareto front of <b>test_accuracy</b> "
                + "(maximize) <b>test_loss</b> (minimize)");
        assertThat(Files.readString(out.resolve(AnalyzeJob.SETTINGS)))
                .contains("metric: [{name: 'test_accuracy', goal: maximize}, {name: 'test_loss', goal: minimize}]");
    }

    @Test
    void withOnlyTheFirstMetricTheFrontIsItsBestValueWithTies() {
        AnalysisTables tables = AnalysisTables.of(SPARK.session(),
                AnalysisInputs.read(SPARK.session(), LocalFiles.storage(), LocalFiles.at(in)),
                List.of(new SweepMetric("test_accuracy", SweepMetric.Goal.MAXIMIZE)), 0.9);
        assertThat(tables.ranking().where("pareto_optimal").orderBy("rank").collectAsList())
                .extracting(r -> r.getAs("trial_id")).containsExactly("t2", "t6");
        assertThat(tables.ranking().columns()).doesNotContain("final_test_loss");
    }
}
