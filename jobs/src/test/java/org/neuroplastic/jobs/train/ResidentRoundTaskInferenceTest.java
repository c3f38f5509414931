package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers' online predictions under {@code at_inference.reset: per_task} against {@code per_batch}, on
 * {@link OnlineStreamTest}'s stream cut to 2 tasks of 24 examples, with a plastic hidden layer (trace, scaling,
 * adaptation), 2 workers of minibatches of 4, averaging after every minibatch: each task is 3 rounds, so from a task's second round on a {@code per_task} worker predicts with
 * the state its own earlier predictions moved, where {@code per_batch} predicts with the round's average.
 * Training must not see the difference: every task's checkpoint is bit-identical.
 */
class ResidentRoundTaskInferenceTest {

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static Path run(String reset) {
        Path out = temp.resolve(reset);
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/online-digits.yaml", OnlineStreamTest.ONLINE_DIGITS,
                List.of("data.stream={kind: permuted, online: true, tasks: 2, examples_per_task: 24, seed: 5}",
                        "training.batch_size_per_worker=4", "training.averaging_frequency=1",
                        "network.hidden.0.plasticity={hebbian: {enabled: true, rule: oja, eta: 0.05}, scaling: {enabled: true,"
                                + " target_activity: 0.5}, adaptation: {enabled: true, target_activity: 0.5}, activity_rate: 0.5,"
                                + " at_inference: {enabled: true, reset: " + reset + "}}")));
        TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return out;
    }

    private static float[] checkpoint(Path out, int tasksDone) throws IOException {
        MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(
                out.resolve(TrainJob.CHECKPOINTS).resolve(Resumption.checkpointName(tasksDone)).toFile(), true);
        return network.params().data().asFloat();
    }

    private static List<Row> online(Path out) {
        return SPARK.session().read().parquet(out.resolve(ResultWriter.EVALUATIONS).toString())
                .orderBy("epoch").collectAsList();
    }

    @Test
    void perTaskLeavesTrainingAsPerBatchDoesWhileItsPredictionsKeepTheirOwnState() throws IOException {
        Path perTask = run("per_task");
        Path perBatch = run("per_batch");
        for (int tasksDone = 1; tasksDone <= 2; tasksDone++) {
            assertThat(checkpoint(perTask, tasksDone)).as("after %d tasks", tasksDone)
                    .containsExactly(checkpoint(perBatch, tasksDone));
        }
        List<Row> byTask = online(perTask);
        List<Row> byBatch = online(perBatch);
        assertThat(byTask).hasSize(2);
        assertThat(byTask.get(0).<Double>getAs("loss")).as("task 0's online loss")
                .isNotEqualTo(byBatch.get(0).<Double>getAs("loss"));
    }
}
