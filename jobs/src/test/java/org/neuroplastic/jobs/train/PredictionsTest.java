package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.network.InferenceState;
import org.neuroplastic.model.network.NetworkFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A worker's prediction before learning, on a network with every kind of plastic state that a forward pass
 * can change (Hebbian trace, scaling and its activity average, adaptation's threshold).
 */
class PredictionsTest {

    private static final String PLASTIC = """
            data: {format: csv, path: ../data/iris.csv, task: classification, classes: 3}
            network:
              n_in: 6
              hidden:
                - size: 8
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.05}
                    scaling: {enabled: true, target_activity: 0.5}
                    adaptation: {enabled: true, target_activity: 0.5}
                    activity_rate: 0.5
              updater: {name: adam, learning_rate: 0.01}
              seed: 3
            training: {epochs: 1}
            """;

    private static MultiLayerNetwork plastic() {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/plastic.yaml", PLASTIC, List.of()));
        return NetworkFactory.build(config.networkFor(SmallNetworks.FEATURES, Target.classification(SmallNetworks.CLASSES),
                "iris.csv"), NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
    }

    @Test
    void predictingChangesNeitherParametersNorPlasticStateNorUpdaterState() {
        MultiLayerNetwork network = plastic();
        List<DataSet> batches = SmallNetworks.minibatches(3, 16, 5);
        network.fit(batches.get(0));
        INDArray parameters = network.params().dup();
        INDArray updater = network.getUpdater().getStateViewArray().dup();
        Predictions.of(network, batches.get(1));
        assertThat(network.params()).isEqualTo(parameters);
        assertThat(network.getUpdater().getStateViewArray()).isEqualTo(updater);
    }

    @Test
    void learningAfterThePredictionIsExactlyLearningWithoutIt() {
        MultiLayerNetwork predicting = plastic();
        MultiLayerNetwork learning = plastic();
        assertThat(predicting.params()).isEqualTo(learning.params());
        for (DataSet batch : SmallNetworks.minibatches(5, 16, 9)) {
            Predictions.of(predicting, batch);
            predicting.fit(batch);
            learning.fit(batch);
        }
        assertThat(predicting.params()).isEqualTo(learning.params());
    }

    /** The plastic network with {@code at_inference} on under {@code reset}; also for {@code HeldOutEvaluationTest}. */
    static MultiLayerNetwork plasticAtInference(String reset) {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("conf/plastic.yaml", PLASTIC,
                List.of("network.hidden.0.plasticity.at_inference={enabled: true, reset: " + reset + "}")));
        return NetworkFactory.build(config.networkFor(SmallNetworks.FEATURES, Target.classification(SmallNetworks.CLASSES),
                "iris.csv"), NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
    }

    @Test
    void perBatchAtInferenceLeavesTheTrainingStateAsItWas() {
        MultiLayerNetwork predicting = plasticAtInference("per_batch");
        MultiLayerNetwork learning = plasticAtInference("per_batch");
        for (DataSet batch : SmallNetworks.minibatches(5, 16, 9)) {
            Predictions.of(predicting, batch);
            predicting.fit(batch);
            learning.fit(batch);
        }
        assertThat(predicting.params()).isEqualTo(learning.params());
    }

    /**
     * One network predicting each minibatch and then learning from it, without dropout: the inference state
     * and the training state are moved by the same minibatches with the same parameters, so {@code per_task}
     * predicts exactly as {@code per_batch} (they part where training's state is moved otherwise: averaging
     * over workers, dropout; {@code InferenceStateTest} has a hand case), and leaves training exactly as it is.
     */
    @Test
    void perTaskOnlinePredictionsLeaveTheTrainingStateAsItWasAndMatchPerBatchOnOneWorker() {
        MultiLayerNetwork perTask = plasticAtInference("per_task");
        MultiLayerNetwork perBatch = plasticAtInference("per_batch");
        MultiLayerNetwork learning = plasticAtInference("per_task");
        InferenceState tasks = new InferenceState();
        InferenceState unused = new InferenceState();
        List<DataSet> batches = SmallNetworks.minibatches(5, 16, 9);
        for (int i = 0; i < batches.size(); i++) {
            int task = i < 3 ? 0 : 1;
            Predictions byTask = Predictions.online(perTask, batches.get(i), tasks, task);
            Predictions byBatch = Predictions.online(perBatch, batches.get(i), unused, task);
            assertThat(byTask).as("minibatch %d", i).isEqualTo(byBatch);
            perTask.fit(batches.get(i));
            perBatch.fit(batches.get(i));
            learning.fit(batches.get(i));
        }
        assertThat(perTask.params().data().asFloat()).containsExactly(learning.params().data().asFloat());
        assertThat(perBatch.params().data().asFloat()).containsExactly(learning.params().data().asFloat());
    }

    @Test
    void neverAtInferenceKeepsTheStateThePredictionMovedAndNoLearnedParameter() {
        MultiLayerNetwork network = plasticAtInference("never");
        List<DataSet> batches = SmallNetworks.minibatches(3, 16, 5);
        network.fit(batches.get(0));
        INDArray trace = network.getLayer(0).getParam(PlasticDenseParameters.TRACE).dup();
        INDArray weight = network.getLayer(0).getParam(PlasticDenseParameters.WEIGHT).dup();
        Predictions.of(network, batches.get(1));
        assertThat(network.getLayer(0).getParam(PlasticDenseParameters.TRACE)).isNotEqualTo(trace);
        assertThat(network.getLayer(0).getParam(PlasticDenseParameters.WEIGHT)).isEqualTo(weight);
    }

    @Test
    void countsTheArgmaxHitsAndSumsTheCrossEntropyOfTheInferencePass() {
        MultiLayerNetwork network = plastic();
        DataSet batch = SmallNetworks.minibatches(1, 32, 13).get(0);
        INDArray output = network.output(batch.getFeatures(), false);
        long correct = 0;
        double crossEntropy = 0;
        for (int i = 0; i < 32; i++) {
            int best = 0;
            int label = 0;
            for (int c = 0; c < SmallNetworks.CLASSES; c++) {
                best = output.getDouble(i, c) > output.getDouble(i, best) ? c : best;
                label = batch.getLabels().getDouble(i, c) == 1.0 ? c : label;
            }
            correct += best == label ? 1 : 0;
            crossEntropy -= Math.log(output.getDouble(i, label));
        }
        Predictions predicted = Predictions.of(network, batch);
        assertThat(predicted.examples()).isEqualTo(32);
        assertThat(predicted.correct()).isEqualTo(correct);
        assertThat(predicted.lossSum()).isCloseTo(crossEntropy, within(1e-4 * crossEntropy));
        assertThat(predicted.plus(predicted).accuracy()).isEqualTo((double) correct / 32);
        assertThat(Predictions.NONE.accuracy()).isNaN();
    }
}
