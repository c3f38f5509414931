package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TaskStream;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.TaskHeadCrossEntropy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code data.stream.heads: per_task}: one output head per task of split digits, read and trained. */
class TaskHeadsTrainJobTest {

    private static final String SPLIT_DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
              test_fraction: 0.2
              split_seed: 7
              stream: {kind: split, classes_per_task: 2, scenario: task_incremental, heads: per_task}
            network:
              n_in: auto
              hidden:
                - size: 16
                  activation: relu
              updater: {name: adam, learning_rate: 0.01}
              seed: 42
            training:
              workers: 2
              batch_size_per_worker: 8
              averaging_frequency: 4
              epochs: 1
              trajectories: false
            """;

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static TrainConfig read(String yaml, String... sets) {
        return TrainConfig.read(ConfigDocument.parse("conf/split-digits.yaml", yaml, List.of(sets)));
    }

    @Test
    void readsTheHeadsAndRejectsThemWithoutTheTaskId() {
        TrainConfig config = read(SPLIT_DIGITS);
        TaskStream.Split split = (TaskStream.Split) ((org.neuroplastic.jobs.config.DataSource.Streamed) config.data())
                .stream();
        assertThat(split.heads()).isEqualTo(TaskStream.Heads.PER_TASK);
        assertThat(split.outputHeads()).isEqualTo(5);
        assertThat(config.networkFor(64, config.data().target(), "csv").output().heads()).isEqualTo(5);
        assertThat(config.effectiveYaml()).contains("heads: per_task");

        TrainConfig shared = read(SPLIT_DIGITS.replace(", heads: per_task", ""));
        assertThat(shared.networkFor(64, shared.data().target(), "csv").output().heads()).isEqualTo(1);
        assertThat(shared.effectiveYaml()).doesNotContain("heads");

        assertThatThrownBy(() -> read(SPLIT_DIGITS.replace("task_incremental", "class_incremental")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("conf/split-digits.yaml: data.stream.heads per_task needs scenario task_incremental (a head "
                        + "is chosen by the task id), found class_incremental");
        assertThatThrownBy(() -> read(SPLIT_DIGITS.replace("per_task", "many")))
                .hasMessage("conf/split-digits.yaml: data.stream.heads must be one of shared, per_task, found text 'many'");
    }

    @Test
    void trainsEveryTaskOnItsOwnHead() throws Exception {
        // Two tasks of five classes: half the tasks (and a fourth of the evaluations) of five tasks of two.
        String twoTasks = SPLIT_DIGITS.replace("classes_per_task: 2", "classes_per_task: 5");
        Path out = temp.resolve("heads");
        TrainJob.run(read(twoTasks), SPARK.session(), LocalFiles.at(out), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<Row> rows = SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString())
                .orderBy("epoch", "task").collectAsList();

        assertThat(rows).hasSize(2 * 2);
        double trainedAccuracy = 0;
        for (Row row : rows) {
            if (row.<Integer>getAs("task").equals(row.<Integer>getAs("trained_task"))) {
                trainedAccuracy += row.<Double>getAs("accuracy") / 2;
            }
        }
        // Guessing among a task's five classes is 0.2.
        assertThat(trainedAccuracy).isGreaterThan(0.75);

        MultiLayerNetwork trained = ModelSerializer.restoreMultiLayerNetwork(out.resolve(TrainJob.MODEL).toFile());
        OutputLayer output = (OutputLayer) trained.getLayerWiseConfigurations().getConf(1).getLayer();
        assertThat(output.getLossFn()).isEqualTo(new TaskHeadCrossEntropy(5));
        // After task 0 (epoch 1), the output units of task 1 are as initialised: they received no gradient.
        MultiLayerNetwork afterTaskZero = ModelSerializer.restoreMultiLayerNetwork(out.resolve(TrainJob.CHECKPOINTS)
                .resolve(Resumption.checkpointName(1)).toFile());
        TrainConfig config = read(twoTasks);
        NetworkSpec spec = config.networkFor(64, config.data().target(), "csv");
        MultiLayerNetwork initial = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        INDArray untouched = initial.getLayer(1).getParam("W").getColumns(5, 6, 7, 8, 9);
        assertThat(afterTaskZero.getLayer(1).getParam("W").getColumns(5, 6, 7, 8, 9)).isEqualTo(untouched);
        assertThat(afterTaskZero.getLayer(1).getParam("W").getColumns(0, 1, 2, 3, 4))
                .isNotEqualTo(initial.getLayer(1).getParam("W").getColumns(0, 1, 2, 3, 4));
    }
}
