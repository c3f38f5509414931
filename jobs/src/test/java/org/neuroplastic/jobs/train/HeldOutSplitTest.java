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
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.util.Arrays;
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
    void withoutAtInferenceTheEvaluationBatchSizeChangesNoHeldOutFigure() {
        TaskData data = adaptingData();
        MultiLayerNetwork frozen = adapting("{enabled: false}", data, null);
        HeldOutEvaluation inSevens = evaluate(data, 7, frozen).get(0);
        HeldOutEvaluation whole = evaluate(data, 1024, frozen).get(0);
        assertThat(inSevens.examples()).isEqualTo(whole.examples()).isEqualTo(data.data().testRows());
        assertThat(inSevens.accuracy()).isEqualTo(whole.accuracy());
        assertThat(inSevens.loss()).isCloseTo(whole.loss(), within(1e-6 * whole.loss()));
        frozen.close();
    }

    /**
     * A minibatch's output is computed before its own update (MODEL.md, "Plasticity at inference"): so the state
     * moved by {@code at_inference} reaches a held-out figure only through a later minibatch of the same partition.
     * With the evaluation batch above the split's size, every partition is one minibatch and {@code never} scores
     * exactly as frozen; in minibatches of 7 it does not. {@code per_batch} puts the state back after each
     * minibatch, so it scores exactly as frozen at any size. An evaluation covers one task's split from the
     * training state, so {@code per_task} scores exactly as {@code never}.
     */
    @Test
    void atInferenceReachesHeldOutFiguresOnlyThroughMinibatchesSmallerThanThePartition() {
        TaskData data = adaptingData();
        assertThat(data.data().testRows()).isLessThan(1024);
        MultiLayerNetwork frozen = adapting("{enabled: false}", data, null);
        MultiLayerNetwork never = adapting("{enabled: true, reset: never}", data, frozen);
        MultiLayerNetwork perBatch = adapting("{enabled: true, reset: per_batch}", data, frozen);
        MultiLayerNetwork perTask = adapting("{enabled: true, reset: per_task}", data, frozen);

        List<HeldOutEvaluation> whole = evaluate(data, 1024, frozen, never);
        assertThat(whole.get(1)).isEqualTo(whole.get(0));
        List<HeldOutEvaluation> inSevens = evaluate(data, 7, frozen, never, perBatch, perTask);
        assertThat(inSevens.get(1).loss()).isNotCloseTo(inSevens.get(0).loss(), within(1e-3 * inSevens.get(0).loss()));
        assertThat(inSevens.get(2)).isEqualTo(inSevens.get(0));
        assertThat(inSevens.get(3)).isEqualTo(inSevens.get(1));
        for (MultiLayerNetwork network : List.of(frozen, never, perBatch, perTask)) {
            network.close();
        }
    }

    private static TaskData adaptingData() {
        TrainConfig config = adaptingConfig("{enabled: false}");
        return DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
    }

    /**
     * {@link #DIGITS}, one task, with a trace that moves the output (alpha fixed at 0.5) and scaling factors that
     * move quickly, and {@code at_inference} as given.
     */
    private static TrainConfig adaptingConfig(String atInference) {
        return adaptingConfig("", atInference);
    }

    /** As {@link #adaptingConfig(String)}, with {@code data} (a YAML line of the data section) added. */
    private static TrainConfig adaptingConfig(String data, String atInference) {
        return TrainConfig.read(ConfigDocument.parse("digits.yaml", DIGITS.formatted(data), List.of(
                "network.hidden.0.plasticity.hebbian={enabled: true, rule: oja, eta: 0.5, alpha: fixed, alpha_init: 0.5}",
                "network.hidden.0.plasticity.scaling={enabled: true, rate: 0.2}",
                "network.hidden.0.plasticity.at_inference=" + atInference)));
    }

    /** An untrained network of {@link #adaptingConfig}, with {@code parameters}' parameters unless null. */
    private static MultiLayerNetwork adapting(String atInference, TaskData data, MultiLayerNetwork parameters) {
        NetworkSpec spec = adaptingConfig(atInference).networkFor(data.data().features(), data.data().target(),
                data.data().source());
        MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        if (parameters != null) {
            network.setParams(parameters.params().dup());
        }
        return network;
    }

    /** The single task's test split evaluated in minibatches of {@code evaluationBatchSize}, by each network. */
    private static List<HeldOutEvaluation> evaluate(TaskData data, int evaluationBatchSize,
                                                    MultiLayerNetwork... networks) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext());
        try (HeldOutSplit split = HeldOutSplit.of(sc, data, evaluationBatchSize)) {
            return Arrays.stream(networks).map(network -> split.evaluate(network).get(0)).toList();
        }
    }

    /**
     * A stream's held-out minibatches are built in one group per task, split and data partition, and evaluated in
     * at most one Spark task per slot, each holding several groups. A layer whose state moves at inference
     * ({@code never}) adapts over one group's minibatches in order from the broadcast state, as it would on a
     * fresh copy per group: state carried from one group into the next would change the figures.
     */
    @Test
    void aStreamIsEvaluatedInOneSparkTaskPerSlotAndEachGroupFromTheBroadcastState() {
        TrainConfig config = adaptingConfig("stream: {kind: split, classes_per_task: 2, scenario: class_incremental}",
                "{enabled: true, reset: never}");
        TaskData data = DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
        NetworkSpec spec = config.networkFor(data.data().features(), data.data().target(), data.data().source());
        MultiLayerNetwork never = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext());
        List<HeldOutEvaluation> onExecutors;
        int groups = 0;
        try (HeldOutSplit split = HeldOutSplit.of(sc, data, 7)) {
            onExecutors = split.evaluate(never);
            assertThat(split.partitions()).isEqualTo(sc.defaultParallelism());
        }
        for (int t = 0; t < data.tasks(); t++) {
            Predictions task = new Predictions(0, 0, 0);
            for (List<DataSet> group : data.heldOutMinibatches(t, DatasetSchema.TEST, 7).glom().collect()) {
                MultiLayerNetwork fresh = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
                fresh.setParams(never.params().dup());
                for (DataSet batch : group) {
                    Predictions predicted = Predictions.of(fresh, batch, true, null);
                    task = new Predictions(task.examples() + predicted.examples(), task.correct() + predicted.correct(),
                            task.lossSum() + predicted.lossSum());
                }
                fresh.close();
                groups += group.isEmpty() ? 0 : 1;
            }
            HeldOutEvaluation expected = task.asEvaluation(true);
            assertThat(onExecutors.get(t).examples()).as("task %d examples", t).isEqualTo(expected.examples());
            assertThat(onExecutors.get(t).accuracy()).as("task %d accuracy", t).isEqualTo(expected.accuracy());
            assertThat(onExecutors.get(t).loss()).as("task %d loss", t)
                    .isCloseTo(expected.loss(), within(1e-9 * expected.loss()));
        }
        assertThat(groups).as("groups outnumber slots").isGreaterThan(2 * sc.defaultParallelism());
        never.close();
    }

    @Test
    void aPlasticNetworkScoresTheSameOnTheExecutorsAsOnTheDriverForEveryTaskOfAStream() {
        // Two tasks a stream: task 1 has classes (split) or a permutation (permuted) of its own, as every later one.
        assertSameAsOnTheDriver("stream: {kind: split, classes_per_task: 5, scenario: task_incremental}", 2);
        assertSameAsOnTheDriver("stream: {kind: permuted, tasks: 2, seed: 7}", 2);
        assertSameAsOnTheDriver("", 1);
    }

    @Test
    void eachTasksValidationSplitIsScoredOnTheExecutorsOverTheClassesItsTestSplitIs() {
        assertValidationSameAsOnTheDriver("""
                validation_fraction: 0.2
                  stream: {kind: split, classes_per_task: 2, scenario: task_incremental}""", 5);
        assertValidationSameAsOnTheDriver("validation_fraction: 0.2", 1);
    }

    private static void assertValidationSameAsOnTheDriver(String data, int tasks) {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("digits.yaml", DIGITS.formatted(data), List.of()));
        TaskData taskData = DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
        MultiLayerNetwork network = network(config, taskData);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext());
        HeldOutSplit.Evaluated evaluated;
        try (HeldOutSplit split = HeldOutSplit.of(sc, taskData, 50)) {
            evaluated = split.evaluateSplits(network);
        }
        assertThat(evaluated.byTask()).hasSize(tasks);
        assertThat(evaluated.validationByTask()).hasSize(tasks);
        long examples = 0;
        for (int t = 0; t < tasks; t++) {
            List<DataSet> collected = taskData.heldOutMinibatches(t, DatasetSchema.VALIDATION, 50).collect();
            HeldOutEvaluation onDriver = HeldOutEvaluation.of(network, collected, true, taskData.evaluatedClasses(t));
            HeldOutEvaluation executors = evaluated.validationByTask().get(t);
            assertThat(executors.examples()).as("task %d examples", t).isEqualTo(onDriver.examples()).isPositive();
            assertThat(executors.accuracy()).as("task %d accuracy", t).isEqualTo(onDriver.accuracy());
            assertThat(executors.loss()).as("task %d loss", t).isCloseTo(onDriver.loss(), within(1e-9 * onDriver.loss()));
            if (tasks > 1) {
                // Task-incremental: the highest output among the task's own classes, as on the test split.
                assertThat(taskData.evaluatedClasses(t)).containsExactly(2 * t, 2 * t + 1);
                assertThat(executors.accuracy()).as("task %d: restricted to its classes", t)
                        .isNotEqualTo(HeldOutEvaluation.of(network, collected, true, null).accuracy());
            }
            examples += executors.examples();
        }
        assertThat(examples).isEqualTo(taskData.data().validationRows());
        network.close();
    }

    private static MultiLayerNetwork network(TrainConfig config, TaskData data) {
        NetworkSpec spec = config.networkFor(data.data().features(), data.data().target(), data.data().source());
        return NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
    }

    private static void assertSameAsOnTheDriver(String stream, int tasks) {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("digits.yaml", DIGITS.formatted(stream), List.of()));
        TaskData data = DatasetLoader.loadTasks(SPARK.session(), config.data(), config.network().nIn());
        MultiLayerNetwork network = network(config, data);
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
