package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code analyze --groups} over four two-task streams, two groups of two replicas, worked out by hand
 * (t(0.975, 1) = 12.7062):
 *
 * <pre>
 * run  group    replica  R (rows: after task 0, after task 1)  ACC    F
 * p0   plastic  0        0.9 0.1 / 0.7 0.9                     0.80   0.2
 * p1   plastic  1        0.9 0.1 / 0.8 0.9                     0.85   0.1
 * d0   dense    0        0.9 0.1 / 0.5 0.9                     0.70   0.4
 * d1   dense    1        0.9 0.1 / 0.6 0.8                     0.70   0.3
 * </pre>
 */
class ContinualGroupTablesTest {

    private static final double EPS = 1e-4;
    private static final String GROUPS = "run_id,group,replica,baselines\np0,plastic,0,dense\nd0,dense,0,\n"
            + "p1,plastic,1,dense\nd1,dense,1,\n";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path in;
    private static Path out;

    @BeforeAll
    static void analyseTheStudy() throws IOException {
        in = dir.resolve("study");
        Map<String, double[][]> streams = Map.of(
                "p0", new double[][] {{0.9, 0.1}, {0.7, 0.9}}, "p1", new double[][] {{0.9, 0.1}, {0.8, 0.9}},
                "d0", new double[][] {{0.9, 0.1}, {0.5, 0.9}}, "d1", new double[][] {{0.9, 0.1}, {0.6, 0.8}});
        List<Row> evaluations = new ArrayList<>();
        streams.forEach((run, matrix) -> {
            for (int trained = 0; trained < 2; trained++) {
                for (int task = 0; task < 2; task++) {
                    evaluations.add(ContinualFixture.evaluation(run, trained + 1, task, "test", matrix[trained][task], trained));
                }
            }
        });
        ContinualFixture.append(SPARK.session(), evaluations, ResultWriter.EVALUATIONS_SCHEMA, in.resolve(ResultWriter.EVALUATIONS));
        ContinualFixture.append(SPARK.session(), streams.keySet().stream().map(r -> ContinualFixture.run(r, "completed", 2)).toList(),
                ResultWriter.RUNS_SCHEMA, in.resolve(ResultWriter.RUNS));
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(in));
        out = Files.createDirectories(dir.resolve("analysis"));
        AnalyzeJob.run(settings(GROUPS), SPARK.session(), LocalFiles.at(out));
    }

    private static AnalysisSettings settings(String groups) {
        return AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9, Optional.empty(),
                Optional.of(StudyGroups.parse("groups.csv", groups, Optional.empty())));
    }

    private static Map<String, Row> rows(String table, String... keys) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(out.resolve(table).toString()).collectAsList()) {
            List<String> key = new ArrayList<>();
            for (String column : keys) {
                key.add(String.valueOf((Object) row.getAs(column)));
            }
            rows.put(String.join("/", key), row);
        }
        return rows;
    }

    @Test
    void theSummaryGivesEachGroupsMeanAccuracyAndForgettingWithTheirIntervals() {
        Map<String, Row> summary = rows(ContinualGroupTables.SUMMARY, "group", "measure");
        Row accuracy = summary.get("plastic/average_accuracy");
        // 0.80 and 0.85: mean 0.825, sd 0.035355, half width 12.7062 * 0.025 = 0.317655.
        assertThat((int) accuracy.getAs("n")).isEqualTo(2);
        assertThat((double) accuracy.getAs("mean")).isCloseTo(0.825, within(1e-9));
        assertThat((double) accuracy.getAs("sd")).isCloseTo(0.035355, within(EPS));
        assertThat((double) accuracy.getAs("ci_low")).isCloseTo(0.507345, within(EPS));
        assertThat((double) accuracy.getAs("ci_high")).isCloseTo(1.142655, within(EPS));
        assertThat((double) summary.get("dense/average_forgetting").getAs("mean")).as("0.4 and 0.3").isCloseTo(0.35, within(1e-9));
        assertThat((double) summary.get("dense/backward_transfer").getAs("mean")).as("-0.4 and -0.3").isCloseTo(-0.35, within(1e-9));
    }

    @Test
    void thePairedDifferencesFollowTheBaselinesTheGroupsFileNames() {
        Map<String, Row> differences = rows(ContinualGroupTables.PAIRED_DIFFERENCES, "group", "baseline", "measure");
        assertThat(differences.keySet()).allMatch(k -> k.startsWith("plastic/dense/"));
        // 0.80 − 0.70 = 0.10 and 0.85 − 0.70 = 0.15: mean 0.125, half width 0.317655.
        Row accuracy = differences.get("plastic/dense/average_accuracy");
        assertThat((int) accuracy.getAs("n")).isEqualTo(2);
        assertThat((int) accuracy.getAs("unpaired")).isZero();
        assertThat((double) accuracy.getAs("mean_difference")).isCloseTo(0.125, within(1e-9));
        assertThat((double) accuracy.getAs("ci_low")).isCloseTo(-0.192655, within(EPS));
        assertThat((double) accuracy.getAs("ci_high")).isCloseTo(0.442655, within(EPS));
        // Forgetting: 0.2 − 0.4 and 0.1 − 0.3, both −0.2: no spread, so the interval is the point.
        assertThat((double) differences.get("plastic/dense/average_forgetting").getAs("mean_difference"))
                .isCloseTo(-0.2, within(1e-9));
    }

    @Test
    void eachGroupsFinalAccuracyPerTaskIsSummarisedAndDrawn() {
        Map<String, Row> tasks = rows(ContinualGroupTables.TASK_STATISTICS, "group", "task");
        assertThat(tasks.keySet()).containsExactlyInAnyOrder("plastic/0", "plastic/1", "dense/0", "dense/1");
        assertThat((double) tasks.get("plastic/0").getAs("mean")).as("0.7 and 0.8").isCloseTo(0.75, within(1e-9));
        assertThat((double) tasks.get("dense/1").getAs("mean")).as("0.9 and 0.8").isCloseTo(0.85, within(1e-9));
        assertThat(out.resolve(AnalysisCharts.FOLDER).resolve(ContinualGroupCharts.FILE)).isNotEmptyFile();
        assertThat(out.resolve(ContinualGroupTables.SUMMARY + ".csv")).exists();
    }

    @Test
    void aStreamRunTheGroupsFileLeavesOutIsRefused() {
        assertThatThrownBy(() -> AnalyzeJob.run(settings("run_id,group,replica\np0,plastic,0\np1,plastic,1\n"),
                SPARK.session(), LocalFiles.at(dir.resolve("refused"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--groups groups.csv names no group for the runs d0, d1; expected every run of --in in it");
    }
}
