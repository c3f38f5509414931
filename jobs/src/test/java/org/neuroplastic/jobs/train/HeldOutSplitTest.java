package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Held-out evaluation on the executors gives what the driver computed from the collected minibatches: the
 * same examples, the same correct count, and the same mean loss up to the order its float sums are added in.
 */
class HeldOutSplitTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final String DIGITS = """
            data:
              format: csv
              path: ../data/digits.csv.gz
              task: classification
              classes: 10
              test_fraction: 0.2
              split_seed: 7
              %s
            network:
              n_in: auto
              hidden:
                - size: 16
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.01}
                    structural: {enabled: true, density: 0.5, zeta: 0.1, rewire_every: 10, regrowth: hebbian}
              updater: {name: adam, learning_rate: 0.01}
              seed: 5
            training: {workers: 2, batch_size_per_worker: 16, averaging_frequency: 2, epochs: 1}
            """;

    @Test
    void aPlasticNetworkScoresTheSameOnTheExecutorsAsOnTheDriverForEveryTaskOfAStream() {
        // Two tasks a stream: task 1 has classes (split) or a permutation (permuted) of its own, as every later one.
        assertSameAsOnTheDriver("stream: {kind: split, classes_per_task: 5, scenario: task_incremental}", 2);
        assertSameAsOnTheDriver("stream: {kind: permuted, tasks: 2, seed: 7}", 2);
        assertSameAsOnTheDriver("", 1);
    }

    private static void assertSameAsOnTheDriver(String stream, int tasks) {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("digits.yaml", DIGITS.formatted(stream), List.of()));
        TaskData data = DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
        NetworkSpec spec = config.networkFor(data.data().features(), data.data().target(), data.data().source());
        MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext());
        List<HeldOutEvaluation> onExecutors;
        try (HeldOutSplit split = HeldOutSplit.of(sc, data, 50)) {
            onExecutors = split.evaluate(network);
            assertThat(split.evaluate(network)).as("a second epoch reads the cached minibatches").isEqualTo(onExecutors);
        }
        assertThat(onExecutors).hasSize(tasks);
        for (int t = 0; t < tasks; t++) {
            List<DataSet> collected = data.heldOutMinibatches(t, 50).collect();
            HeldOutEvaluation onDriver = HeldOutEvaluation.of(network, collected, true, data.evaluatedClasses(t));
            HeldOutEvaluation executors = onExecutors.get(t);
            assertThat(executors.examples()).as("task %d examples", t).isEqualTo(onDriver.examples()).isPositive();
            assertThat(executors.accuracy()).as("task %d accuracy", t).isEqualTo(onDriver.accuracy());
            assertThat(executors.loss()).as("task %d loss", t).isCloseTo(onDriver.loss(), within(1e-9 * onDriver.loss()));
        }
        network.close();
    }
}
