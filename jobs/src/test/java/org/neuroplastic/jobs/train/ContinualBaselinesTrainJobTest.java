package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.analyze.AnalysisSettings;
import org.neuroplastic.jobs.analyze.AnalyzeJob;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The train job on split digits (data/digits.csv.gz, task-incremental, 2 tasks of 5 classes) naive, jointly
 * ({@code data.stream.joint}), with EWC ({@code training.consolidation}) and with {@code training.replay}, on
 * identical seeds, all into one results folder, then the analysis of that folder.
 */
class ContinualBaselinesTrainJobTest {

    private static final int TASKS = 2;
    private static final int LAST = TASKS - 1;

    private static final String SPLIT_DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
              test_fraction: 0.2
              split_seed: 7
              stream: {kind: split, classes_per_task: 5, scenario: task_incremental}
            network:
              n_in: auto
              hidden:
                - size: 32
                  activation: relu
              updater: {name: adam, learning_rate: 0.01}
              seed: 42
            training:
              workers: 2
              batch_size_per_worker: 16
              averaging_frequency: 4
              epochs: 1
              trajectories: false
            """;

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path results;
    private static String naive;
    private static String replay;
    private static String joint;
    private static String ewc;

    @BeforeAll
    static void trainAndAnalyse() throws Exception {
        results = temp.resolve("results");
        naive = train();
        joint = train("data.stream.joint=true");
        ewc = train("training.consolidation.method=ewc", "training.consolidation.lambda=10000",
                "training.consolidation.fisher_examples=200");
        // Last, so that the folder's checkpoints are the replay run's.
        replay = train(REPLAY);
        // The train command commits its folder after the job; the analysis reads committed folders only.
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(results));
        Files.createDirectories(temp.resolve("analysis"));
        AnalyzeJob.run(AnalysisSettings.of(LocalFiles.storage(), LocalFiles.at(results), 0.9), SPARK.session(),
                LocalFiles.at(temp.resolve("analysis")));
    }

    private static final String[] REPLAY = {"training.replay.buffer_size=200", "training.replay.per_minibatch=8"};

    private static String train(String... sets) {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/split-digits.yaml", SPLIT_DIGITS, List.of(sets)));
        return TrainJob.run(config, SPARK.session(), LocalFiles.at(results), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).runId();
    }

    private static List<Row> evaluations(String run) {
        return evaluations(results, run);
    }

    private static List<Row> evaluations(Path folder, String run) {
        return SPARK.session().read().parquet(folder.resolve(ResultWriter.EVALUATIONS).toString())
                .where("run_id = '" + run + "'").orderBy("epoch", "task").collectAsList();
    }

    private static Map<String, Row> continualMetrics() {
        return SPARK.session().read().parquet(temp.resolve("analysis").resolve("continual_metrics").toString())
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("run_id"), Function.identity()));
    }

    private static List<Double> accuracies(List<Row> rows, int trainedTask) {
        return rows.stream().filter(r -> r.<Integer>getAs("trained_task") == trainedTask)
                .map(r -> r.<Double>getAs("accuracy")).toList();
    }

    private static double firstTaskAccuracyAfterLastTask(List<Row> rows) {
        return accuracies(rows, LAST).get(0);
    }

    @Test
    void ewcTrainsTheFirstTaskIdenticallyBecauseThePenaltyStartsAfterIt() {
        List<Row> consolidated = evaluations(ewc);

        assertThat(accuracies(consolidated, 0)).hasSize(TASKS).isEqualTo(accuracies(evaluations(naive), 0));
        assertThat(accuracies(consolidated, LAST)).isNotEqualTo(accuracies(evaluations(naive), LAST));
    }

    @Test
    void ewcForgetsLessThanNaiveFineTuning() {
        double consolidated = firstTaskAccuracyAfterLastTask(evaluations(ewc));
        double plain = firstTaskAccuracyAfterLastTask(evaluations(naive));

        assertThat(consolidated).as("task 0 after the last task: EWC %s against naive %s", consolidated, plain)
                .isGreaterThan(plain + 0.05);
    }

    @Test
    void replayStartsAfterTheFirstTaskAndChangesTheLaterOnes() {
        List<Row> plain = evaluations(naive);
        List<Row> replayed = evaluations(replay);

        assertThat(replayed).hasSize(TASKS * TASKS);
        assertThat(accuracies(replayed, 0)).hasSize(TASKS).isEqualTo(accuracies(plain, 0));
        assertThat(accuracies(replayed, LAST)).isNotEqualTo(accuracies(plain, LAST));
    }

    /**
     * Killed after task 0's checkpoint, the run resumes with a memory rebuilt from task 0: task 1 then trains
     * exactly as without the kill.
     */
    @Test
    void aResumedReplayRunRebuildsItsMemoryAndTrainsAsIfUninterrupted() throws IOException {
        Path killed = temp.resolve("killed");
        try (Stream<Path> files = Files.walk(results)) {
            for (Path file : files.toList()) {
                Path target = killed.resolve(results.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.delete(killed.resolve("model.zip"));
        Files.delete(killed.resolve(CommitMarker.FILE));
        Files.delete(killed.resolve("checkpoints").resolve(Resumption.checkpointName(TASKS)));
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/split-digits.yaml", SPLIT_DIGITS, List.of(REPLAY)));

        TrainJob.resume(config, SPARK.session(), LocalFiles.at(killed),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        List<Row> resumed = evaluations(killed, replay);
        assertThat(resumed).hasSize(TASKS * TASKS);
        assertThat(accuracies(resumed, LAST)).isEqualTo(accuracies(evaluations(replay), LAST));
    }

    @Test
    void aJointRunTrainsOnePhaseRecordedAsTheLastTaskAndReportsEveryTask() {
        List<Row> rows = evaluations(joint);

        assertThat(rows).hasSize(TASKS);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.<Integer>getAs("epoch")).isEqualTo(1);
            assertThat(r.<Integer>getAs("trained_task")).isEqualTo(LAST);
            assertThat(r.<Double>getAs("accuracy")).isBetween(0.0, 1.0);
        });
        assertThat(rows.stream().map(r -> r.<Integer>getAs("task")).toList()).containsExactly(0, 1);
    }

    @Test
    void theContinualTablesPutTheJointRowBesideTheSequentialOnes() {
        Map<String, Row> metrics = continualMetrics();
        Row jointRow = metrics.get(joint);
        double meanOfLastRow = evaluations(joint).stream().mapToDouble(r -> r.<Double>getAs("accuracy")).average()
                .orElseThrow();

        assertThat(metrics).containsKeys(naive, replay, joint, ewc);
        assertThat(jointRow.<Integer>getAs("tasks")).isEqualTo(TASKS);
        assertThat(jointRow.<Integer>getAs("tasks_trained")).isEqualTo(1);
        assertThat(jointRow.<Double>getAs("average_accuracy")).isCloseTo(meanOfLastRow, within(1e-9));
        assertThat(jointRow.isNullAt(jointRow.fieldIndex("backward_transfer"))).isTrue();
        assertThat(jointRow.isNullAt(jointRow.fieldIndex("average_forgetting"))).isTrue();
        Row replayRow = metrics.get(replay);
        assertThat(replayRow.<Integer>getAs("tasks_trained")).isEqualTo(TASKS);
        assertThat(replayRow.isNullAt(replayRow.fieldIndex("backward_transfer"))).isFalse();
        assertThat(Files.isDirectory(temp.resolve("analysis").resolve("accuracy_matrix"))).isTrue();
    }
}
