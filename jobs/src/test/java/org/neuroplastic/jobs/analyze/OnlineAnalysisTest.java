package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

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
 * {@code analyze --groups} on online runs written by hand, 10 tasks each (blocks of one task):
 *
 * <pre>
 * run  group replica  task 0                                   tasks 1-8  task 9   first  last  drop
 * a0   a     0        two rows: 100 examples at 0.5, 300 at 0.9   0.5      0.4      0.8    0.4   0.4
 * a1   a     1        0.6                                          0.6      0.5      0.6    0.5   0.1
 * b0   b     0        0.7                                          0.7      0.7      0.7    0.7   0
 * b1   b     1        0.6                                          0.6      0.6      0.6    0.6   0
 * </pre>
 * a0's trajectory: layer 0 at step 5 of task 9 (workers 0, 1: dead 0.9), at step 10 of task 9 (workers 0 and 1:
 * dead 0.2 and 0.4, rank 10 and 20), an averaged row (dead 0.99) and a layer 1 row (dead 0.98) that are not read.
 */
class OnlineAnalysisTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final String GROUPS = "run_id,group,replica\na0,a,0\na1,a,1\nb0,b,0\nb1,b,1\n";

    private static Path in;
    private static Path out;

    @BeforeAll
    static void analyse() throws IOException {
        in = dir.resolve("study");
        List<Row> evaluations = new ArrayList<>();
        evaluations.add(online("a0", 0, 100, 0.5));
        evaluations.add(online("a0", 0, 300, 0.9));
        Map<String, double[]> runs = Map.of("a0", new double[] {0.5, 0.4}, "a1", new double[] {0.6, 0.5},
                "b0", new double[] {0.7, 0.7}, "b1", new double[] {0.6, 0.6});
        runs.forEach((run, accuracy) -> {
            for (int task = run.equals("a0") ? 1 : 0; task < 10; task++) {
                evaluations.add(online(run, task, 100, task == 9 ? accuracy[1] : accuracy[0]));
            }
        });
        ContinualFixture.append(SPARK.session(), evaluations, ResultWriter.EVALUATIONS_SCHEMA, in.resolve(ResultWriter.EVALUATIONS));
        List<Row> trajectories = List.of(
                trajectory(5, "0", 0, 0.9, 1.0), trajectory(5, "1", 0, 0.9, 1.0),
                trajectory(10, "0", 0, 0.2, 10.0), trajectory(10, "1", 0, 0.4, 20.0),
                trajectory(10, "avg", 0, 0.99, 99.0), trajectory(10, "0", 1, 0.98, 98.0));
        ContinualFixture.append(SPARK.session(), trajectories, TrajectoryWriter.SCHEMA, in.resolve(TrajectoryWriter.FOLDER));
        ContinualFixture.append(SPARK.session(), runs.keySet().stream().map(r -> ContinualFixture.run(r, "completed", 1)).toList(),
                ResultWriter.RUNS_SCHEMA, in.resolve(ResultWriter.RUNS));
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(in));
        out = dir.resolve("analysis");
        AnalyzeJob.run(settings(GROUPS), SPARK.session(), LocalFiles.at(out));
    }

    private static AnalysisSettings settings(String groups) {
        return AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(in), 0.9, Optional.empty(),
                Optional.of(StudyGroups.parse("groups.csv", groups, Optional.of("a"))));
    }

    private static Row online(String run, int task, long examples, double accuracy) {
        return RowFactory.create(run, null, 1, task, task, "online", examples, 1 - accuracy, accuracy);
    }

    private static Row trajectory(long step, String worker, int layer, double dead, double rank) {
        return RowFactory.create("a0", null, 9, 1, (int) step, step, worker, "driver", layer, 1.0, null, null, null,
                null, null, null, null, null, null, null, null, null, 3.0, dead, rank, 0.1, null, null, 5L);
    }

    private static Map<String, Row> rows(String table, String key) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : SPARK.session().read().parquet(out.resolve(table).toString()).collectAsList()) {
            rows.put(row.getAs("group") + " " + row.getAs(key), row);
        }
        return rows;
    }

    @Test
    void theSummaryWeighsATasksRowsByExamplesAndReadsTheLastDiagnostics() {
        Map<String, Row> summary = rows(OnlineTables.SUMMARY, "measure");
        // a: first 0.8 (= (100 * 0.5 + 300 * 0.9) / 400) and 0.6, last 0.4 and 0.5, drop 0.4 and 0.1.
        assertThat((double) summary.get("a first_block_accuracy").getAs("mean")).isCloseTo(0.7, within(1e-9));
        assertThat((double) summary.get("a last_block_accuracy").getAs("mean")).isCloseTo(0.45, within(1e-9));
        assertThat((double) summary.get("a accuracy_drop").getAs("mean")).isCloseTo(0.25, within(1e-9));
        assertThat((int) summary.get("a accuracy_drop").getAs("block_tasks")).isEqualTo(1);
        // Step 10, the task's last reading, averaged over the two workers: dead (0.2 + 0.4) / 2, rank (10 + 20) / 2.
        assertThat((double) summary.get("a final_dead_fraction").getAs("mean")).isCloseTo(0.3, within(1e-9));
        assertThat((double) summary.get("a final_effective_rank").getAs("mean")).isCloseTo(15.0, within(1e-9));
        assertThat((int) summary.get("a final_dead_fraction").getAs("n")).isEqualTo(1);
        assertThat(summary).doesNotContainKey("b final_dead_fraction");
    }

    @Test
    void everyGroupIsPairedWithTheBaselineGroupByReplica() {
        Map<String, Row> differences = rows(OnlineTables.PAIRED_DIFFERENCES, "measure");
        // b − a, last block: 0.7 − 0.4 = 0.3 and 0.6 − 0.5 = 0.1.
        Row last = differences.get("b last_block_accuracy");
        assertThat((double) last.getAs("mean_difference")).isCloseTo(0.2, within(1e-9));
        assertThat((int) last.getAs("n")).isEqualTo(2);
        assertThat((String) last.getAs("baseline")).isEqualTo("a");
        assertThat(differences.keySet()).noneMatch(k -> k.startsWith("a "));
    }

    @Test
    void theTaskStatisticsAndPlotsAreWritten() {
        Map<String, Row> tasks = rows(OnlineTables.TASK_STATISTICS, "task");
        assertThat(SPARK.session().read().parquet(out.resolve(OnlineTables.TASK_STATISTICS).toString())
                .where("series = 'online_accuracy'").count()).isEqualTo(20);
        assertThat(tasks).containsKey("a 9");
        assertThat(Files.exists(out.resolve("plots/online_accuracy.png"))).isTrue();
        assertThat(Files.exists(out.resolve("plots/online_dead_fraction.png"))).isTrue();
        assertThat(Files.exists(out.resolve("online_summary.csv"))).isTrue();
    }

    @Test
    void aRunTheGroupsFileDoesNotNameIsRefused() {
        assertThatThrownBy(() -> AnalyzeJob.run(settings("run_id,group,replica\na0,a,0\na1,a,1\nb0,b,0\n"), SPARK.session(),
                LocalFiles.at(dir.resolve("refused"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--groups groups.csv names no group for the online runs b1; expected every run of --in in it");
        assertThatThrownBy(() -> AnalyzeJob.run(settings(GROUPS + "c0,a,2\n"), SPARK.session(), LocalFiles.at(dir.resolve("refused2"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--groups groups.csv names run c0, which has no evaluations/ rows with split online in --in");
    }
}
