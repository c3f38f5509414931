package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.model.network.NetworkFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An online permuted stream over data/digits.csv.gz on local[2] with 2 workers. Each task has 13 examples,
 * which the layout cuts into one minibatch per worker (7 and 6): every minibatch of a task is then predicted
 * by the network as it was when the task began, which is the untrained network for task 0 and the previous
 * task's checkpoint after it. Had a worker predicted after learning, or from another state, the counts would
 * not match those networks' own.
 */
class OnlineStreamTest {

    private static final int TASKS = 3;
    private static final int EXAMPLES = 13;
    /** Also the base of {@code ResidentRoundTaskInferenceTest}. */
    static final String ONLINE_DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
              test_fraction: 0.2
              split_seed: 7
              stream: {kind: permuted, online: true, tasks: 3, examples_per_task: 13, seed: 5}
            network:
              n_in: auto
              hidden:
                - size: 16
                  activation: relu
              updater: {name: sgd, learning_rate: 0.05}
              seed: 42
            training:
              workers: 2
              batch_size_per_worker: 8
              averaging_frequency: 4
              epochs: 1
            """;

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path out;
    private static String console;
    private static TrainConfig config;

    @BeforeAll
    static void trainTheStream() {
        out = temp.resolve("online");
        config = TrainConfig.read(ConfigDocument.parse("conf/online-digits.yaml", ONLINE_DIGITS, List.of()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(printed, true, StandardCharsets.UTF_8));
        console = printed.toString(StandardCharsets.UTF_8);
    }

    private static List<Row> evaluations() {
        return SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString())
                .orderBy("epoch").collectAsList();
    }

    private static List<DataSet> examplesOf(int task) {
        TaskData tasks = DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
        return tasks.trainingMinibatches(task, EXAMPLES).collect();
    }

    /** The network each task's minibatches must have been predicted by: the one the task started from. */
    private static MultiLayerNetwork networkBefore(int task) throws IOException {
        if (task == 0) {
            TaskData tasks = DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
            return NetworkFactory.build(config.networkFor(tasks.data().features(), tasks.data().target(),
                    tasks.data().source()), NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        }
        return ModelSerializer.restoreMultiLayerNetwork(
                out.resolve(TrainJob.CHECKPOINTS).resolve(Resumption.checkpointName(task)).toFile(), true);
    }

    @Test
    void writesOneOnlineRowPerTaskWithExactlyItsExamples() {
        List<Row> rows = evaluations();
        assertThat(rows).hasSize(TASKS);
        for (int t = 0; t < TASKS; t++) {
            Row row = rows.get(t);
            assertThat(row.<String>getAs("split")).isEqualTo("online");
            assertThat(row.<Integer>getAs("epoch")).isEqualTo(t + 1);
            assertThat(row.<Integer>getAs("task")).isEqualTo(t);
            assertThat(row.<Integer>getAs("trained_task")).isEqualTo(t);
            assertThat(row.<Long>getAs("examples")).isEqualTo(EXAMPLES);
        }
    }

    @Test
    void everyMinibatchIsPredictedByTheNetworkAsItWasBeforeLearningFromIt() throws IOException {
        List<Row> rows = evaluations();
        for (int t = 0; t < TASKS; t++) {
            HeldOutEvaluation before = HeldOutEvaluation.of(networkBefore(t), examplesOf(t), true);
            assertThat(before.examples()).isEqualTo(EXAMPLES);
            assertThat(rows.get(t).<Double>getAs("accuracy")).as("task %d", t).isEqualTo(before.accuracy());
            assertThat(rows.get(t).<Double>getAs("loss")).as("task %d", t).isCloseTo(before.loss(), within(1e-5));
        }
    }

    @Test
    void printsTheOnlineAccuracyByBlockOfTasksAndNoHeldOutFigure() {
        assertThat(console).contains("online: 3 tasks of 13 fresh examples")
                .contains("tasks 1-1: online accuracy ").contains("tasks 3-3: online accuracy ")
                .doesNotContain("done in");
        Row run = SPARK.session().read().parquet(out.resolve(ResultWriter.RUNS).toString()).first();
        assertThat(run.<Integer>getAs("epochs_completed")).isEqualTo(TASKS);
        assertThat(run.<Object>getAs("final_test_accuracy")).isNull();
    }
}
