package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConsolidationPenaltyTest {

    private static final double LEARNING_RATE = 0.1;

    /** y = w0 x0 + w1 x1 + b, MSE, plain SGD, double precision; flat parameters (w0, w1, b). */
    static MultiLayerNetwork linear(double w0, double w1, double b) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Sgd(LEARNING_RATE)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.setParams(Nd4j.createFromArray(new double[][] {{w0, w1, b}}));
        return net;
    }

    static DataSet batch(int size) {
        double[][] x = new double[size][];
        double[][] y = new double[size][];
        for (int i = 0; i < size; i++) {
            x[i] = new double[] {1 + i, 2 - 3 * i};
            y[i] = new double[] {0.5 * i - 1};
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /**
     * F = (1, 2, 4), anchor 0, lambda = 0.5 at theta = (0.5, -0.5, 0.1): the penalty's gradient is
     * 0.5 * (1*0.5, 2*(-0.5), 4*0.1) = (0.25, -0.5, 0.2), so one SGD step with learning rate 0.1 moves the
     * parameters by (-0.025, 0.05, -0.02) more than the loss alone, whatever the minibatch size (the loss
     * is a mean over the minibatch). The score stays the data's loss.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void stepAddsThePenaltyGradientAtTheScaleOfTheMeanLoss(int minibatch) {
        MultiLayerNetwork plain = linear(0.5, -0.5, 0.1);
        MultiLayerNetwork consolidated = linear(0.5, -0.5, 0.1);
        PenaltyListener.attach(consolidated, ElasticWeightConsolidation.start(0.5, 3)
                .remember(new double[] {1, 2, 4}, new double[] {0, 0, 0})
                .trainingPenalty());

        plain.fit(batch(minibatch));
        consolidated.fit(batch(minibatch));

        double[] difference = consolidated.params().sub(plain.params()).toDoubleVector();
        assertThat(difference).containsExactly(new double[] {-0.025, 0.05, -0.02}, within(1e-12));
        assertThat(consolidated.score()).isEqualTo(plain.score());
    }

    @Test
    void penaltyWithoutAnyTaskLeavesTrainingUnchanged() {
        MultiLayerNetwork plain = linear(0.5, -0.5, 0.1);
        MultiLayerNetwork consolidated = linear(0.5, -0.5, 0.1);
        PenaltyListener.attach(consolidated, ElasticWeightConsolidation.start(100, 3).trainingPenalty());

        plain.fit(batch(3));
        consolidated.fit(batch(3));

        assertThat(consolidated.params().toDoubleVector()).containsExactly(plain.params().toDoubleVector());
    }

    @Test
    void attachingReplacesTheNetworksEarlierPenaltyAndKeepsItsOtherListeners() {
        MultiLayerNetwork net = linear(0.5, -0.5, 0.1);
        MultiLayerNetwork plain = linear(0.5, -0.5, 0.1);
        ScoreIterationListener other = new ScoreIterationListener(1000);
        net.setListeners(other);
        PenaltyListener.attach(net, ElasticWeightConsolidation.start(1, 3)
                .remember(new double[] {1, 1, 1}, new double[] {0, 0, 0}).trainingPenalty());
        PenaltyListener.attach(net, ElasticWeightConsolidation.start(1, 3).trainingPenalty());

        net.fit(batch(2));
        plain.fit(batch(2));

        assertThat(net.params().toDoubleVector()).as("the first penalty no longer pulls")
                .containsExactly(plain.params().toDoubleVector());
        assertThat(net.getListeners()).hasSize(2).first().isSameAs(other);
        PenaltyListener.attach(net, null);
        assertThat(net.getListeners()).containsExactly(other);
    }

    @Test
    void penaltyValueSumsEveryRememberedTask() {
        MultiLayerNetwork net = linear(0.5, -0.5, 0.1);
        ConsolidationPenalty penalty = ElasticWeightConsolidation.start(0.5, 3)
                .remember(new double[] {1, 2, 4}, new double[] {0, 0, 0})
                .remember(new double[] {1, 0, 0}, new double[] {1, 0, 0})
                .trainingPenalty();

        // 0.1975 + 0.25 * 1 * (0.5 - 1)^2
        assertThat(penalty.value(net.params())).isCloseTo(0.1975 + 0.0625, within(1e-6));
    }

    @Test
    void javaSerializedPenaltyAddsItsGradientScaled() throws Exception {
        ConsolidationPenalty penalty = ElasticWeightConsolidation.start(0.5, 3)
                .remember(new double[] {1, 2, 4}, new double[] {0, 0, 0}).trainingPenalty();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(penalty);
        }
        ConsolidationPenalty copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ConsolidationPenalty) in.readObject();
        }
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, 1, 3);

        copy.addGradient(Nd4j.createFromArray(new double[][] {{0.5, -0.5, 0.1}}), gradient, 2);

        assertThat(gradient.toDoubleVector()).containsExactly(new double[] {0.5, -1, 0.4}, within(1e-7));
    }
}
