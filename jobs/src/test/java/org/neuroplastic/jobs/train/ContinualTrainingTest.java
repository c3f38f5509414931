package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.consolidation.GradientPenalty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The train job's task loop on split digits (data/digits.csv.gz, 5 class-incremental tasks of 2 classes,
 * one epoch each), and the task boundary hook: what it is given, and that the penalty it returns is
 * applied by the workers during the next task.
 */
class ContinualTrainingTest {

    private static final int TASKS = 5;
    private static final String SPLIT_DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
              test_fraction: 0.2
              split_seed: 7
              stream: {kind: split, classes_per_task: 2}
            network:
              n_in: auto
              hidden:
                - size: 32
                  activation: relu
              updater: {name: adam, learning_rate: 0.02}
              seed: 42
            training:
              workers: 2
              batch_size_per_worker: 16
              averaging_frequency: 4
              epochs: 1
            """;

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path out;
    private static String console;
    private static final List<Integer> boundaryTasks = new ArrayList<>();
    private static final List<List<DataSet>> samples = new ArrayList<>();

    @BeforeAll
    static void trainTheStream() {
        out = temp.resolve("split");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TaskBoundary recording = (task, network, sample) -> {
            boundaryTasks.add(task);
            samples.add(sample.minibatches(40));
            return null;
        };
        TrainJob.run(config(), SPARK.session(), LocalFiles.at(out), null, new PrintStream(printed, true, StandardCharsets.UTF_8),
                recording);
        console = printed.toString(StandardCharsets.UTF_8);
    }

    private static TrainConfig config(String... sets) {
        return TrainConfig.read(ConfigDocument.parse("conf/split-digits.yaml", SPLIT_DIGITS, List.of(sets)));
    }

    private static List<Row> evaluations() {
        return SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString())
                .orderBy("epoch", "task").collectAsList();
    }

    private static double accuracy(List<Row> rows, int trainedTask, int task) {
        return rows.stream().filter(r -> r.<Integer>getAs("trained_task") == trainedTask && r.<Integer>getAs("task") == task)
                .mapToDouble(r -> r.<Double>getAs("accuracy")).findFirst().orElseThrow();
    }

    @Test
    void everyEpochEvaluatesEveryTaskOnceUnderTheTaskBeingTrained() {
        List<Row> rows = evaluations();
        assertThat(rows).hasSize(TASKS * TASKS);
        Set<String> keys = new HashSet<>();
        for (Row r : rows) {
            int epoch = r.getAs("epoch");
            assertThat(r.<Integer>getAs("trained_task")).as("trained task at epoch %d", epoch).isEqualTo(epoch - 1);
            assertThat(r.<String>getAs("split")).isEqualTo("test");
            assertThat(r.<Long>getAs("examples")).isPositive();
            assertThat(keys.add(epoch + "/" + r.<Integer>getAs("task"))).isTrue();
        }
    }

    @Test
    void trainingALaterClassIncrementalTaskForgetsTheFirst() {
        List<Row> rows = evaluations();
        double learnt = accuracy(rows, 0, 0);
        assertThat(learnt).as("task 0 right after training it").isGreaterThan(0.9);
        assertThat(accuracy(rows, 1, 0)).as("task 0 after training task 1 (learnt: %s)", learnt)
                .isLessThan(learnt - 0.5);
        assertThat(accuracy(rows, 0, 3)).as("task 3 before any of its classes was seen").isZero();
    }

    @Test
    void trajectoryRowsCarryTheTaskBeingTrained() {
        List<Row> byEpoch = SPARK.session().read().parquet(out.resolve(TrajectoryWriter.FOLDER).toString())
                .groupBy("epoch").agg(org.apache.spark.sql.functions.collect_set(col("task")).as("tasks"))
                .orderBy("epoch").collectAsList();
        assertThat(byEpoch).hasSize(TASKS);
        for (Row r : byEpoch) {
            // One epoch per task: epoch e (from 1) trains task e - 1.
            assertThat(r.<Object>getList(1)).containsExactly(r.getInt(0) - 1);
        }
    }

    @Test
    void theBoundaryIsCalledBetweenTasksWithASampleOfTheTaskJustTrained() {
        assertThat(boundaryTasks).containsExactly(0, 1, 2, 3);
        for (int t = 0; t < boundaryTasks.size(); t++) {
            List<DataSet> sample = samples.get(t);
            assertThat(sample.stream().mapToInt(DataSet::numExamples).sum()).isBetween(40, 40 + 15);
            for (DataSet batch : sample) {
                for (long label : batch.getLabels().argMax(1).toLongVector()) {
                    assertThat(label).isIn((long) 2 * t, (long) 2 * t + 1);
                }
            }
        }
    }

    @Test
    void theConsoleNamesEachTaskAndPrintsTheAccuracyMatrixRowAfterIt() {
        assertThat(console).contains("5 tasks, class_incremental, 1 epochs each")
                .contains("task 1/5: classes 0, 1").contains("task 5/5: classes 8, 9")
                .contains("task 3/5, epoch 3/5 done").contains("after task 5/5, held-out accuracy by task:  0: ");
    }

    @Test
    void aPenaltyReturnedAtTheBoundaryIsAppliedByTheWorkersDuringTheNextTask() throws IOException {
        Path anchored = temp.resolve("anchored");
        List<INDArray> afterFirstTask = new ArrayList<>();
        TaskBoundary anchor = (task, network, sample) -> {
            afterFirstTask.add(network.params().dup());
            return new Anchor(network.params().toFloatVector(), 1e6);
        };
        TrainJob.run(config("data.stream.classes_per_task=5"), SPARK.session(), LocalFiles.at(anchored), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), anchor);
        MultiLayerNetwork trained = ModelSerializer.restoreMultiLayerNetwork(anchored.resolve(TrainJob.MODEL).toFile());
        double anchoredDrift = trained.params().sub(afterFirstTask.get(0)).amaxNumber().doubleValue();

        MultiLayerNetwork free = ModelSerializer.restoreMultiLayerNetwork(
                out.resolve(TrainJob.CHECKPOINTS).resolve("epoch-002.zip").toFile());
        MultiLayerNetwork afterTaskZero = ModelSerializer.restoreMultiLayerNetwork(
                out.resolve(TrainJob.CHECKPOINTS).resolve("epoch-001.zip").toFile());
        double freeDrift = free.params().sub(afterTaskZero.params()).amaxNumber().doubleValue();
        assertThat(freeDrift).as("largest parameter change over task 1 without a penalty").isGreaterThan(0.1);
        assertThat(anchoredDrift).as("largest parameter change over task 1 anchored to task 0's parameters")
                .isLessThan(0.06);
    }

    /** A quadratic pull towards fixed parameters: EWC with a Fisher information of 1 everywhere. */
    private record Anchor(float[] anchor, double strength) implements GradientPenalty {
        @Override
        public void addGradient(INDArray parameters, INDArray gradient, double scale) {
            INDArray target = org.nd4j.linalg.factory.Nd4j.createFromArray(anchor).reshape(parameters.shape());
            gradient.addi(parameters.sub(target).muli(strength * scale));
        }
    }
}
