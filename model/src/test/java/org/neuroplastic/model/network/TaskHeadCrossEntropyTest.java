package org.neuroplastic.model.network;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The multi-head output on 2 tasks of 2 classes each: task 0 = classes {0, 1}, task 1 = classes {2, 3}. */
class TaskHeadCrossEntropyTest {

    private static final TaskHeadCrossEntropy LOSS = new TaskHeadCrossEntropy(2);

    /**
     * Example A: label 1 (task 0), logits (1, 2, 5, 7). Its head is {0, 1}: p = (e / (e + e^2), e^2 / (e + e^2))
     * = (0.268941, 0.731059), 0 at classes 2 and 3 whatever their larger logits; the loss is -log 0.731059 =
     * 0.313262 and the gradient p - y = (0.268941, -0.268941, 0, 0).
     * Example B: label 2 (task 1), logits (9, 0, 0, ln 3). Its head is {2, 3}: p = (0, 0, 1/4, 3/4); the loss
     * is -log(1/4) = 1.386294 and the gradient (0, 0, -0.75, 0.75): class 0's logit of 9 gets none.
     */
    @Test
    void otherHeadsLogitsAreOutOfTheSoftmaxAndGetNoGradient() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}, {0, 0, 1, 0}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{1, 2, 5, 7}, {9, 0, 0, Math.log(3)}});

        INDArray p = LOSS.headProbabilities(labels, logits, new ActivationSoftmax());
        assertThat(p.getRow(0).toDoubleVector()).containsExactly(new double[] {0.268941, 0.731059, 0, 0}, within(1e-6));
        assertThat(p.getRow(1).toDoubleVector()).containsExactly(new double[] {0, 0, 0.25, 0.75}, within(1e-9));

        INDArray gradient = LOSS.computeGradient(labels, logits, new ActivationSoftmax(), null);
        assertThat(gradient.getRow(0).toDoubleVector())
                .containsExactly(new double[] {0.268941, -0.268941, 0, 0}, within(1e-6));
        assertThat(gradient.getRow(1).toDoubleVector()).containsExactly(new double[] {0, 0, -0.75, 0.75}, within(1e-9));
        assertThat(gradient.getDouble(0, 2)).isEqualTo(0.0);
        assertThat(gradient.getDouble(0, 3)).isEqualTo(0.0);
        assertThat(gradient.getDouble(1, 0)).isEqualTo(0.0);
        assertThat(gradient.getDouble(1, 1)).isEqualTo(0.0);

        INDArray scores = LOSS.computeScoreArray(labels, logits, new ActivationSoftmax(), null);
        assertThat(scores.toDoubleVector()).containsExactly(new double[] {0.313262, 1.386294}, within(1e-6));
        assertThat(LOSS.computeScore(labels, logits, new ActivationSoftmax(), null, true))
                .isCloseTo((0.313262 + 1.386294) / 2, within(1e-6));
    }

    private static MultiLayerNetwork fourClasses() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.5)).list()
                .layer(new OutputLayer.Builder().lossFunction(new TaskHeadCrossEntropy(2)).nIn(2).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.toJson()));
        net.init();
        return net;
    }

    /** A task-1 minibatch: class 2 when x0 > x1, class 3 otherwise. */
    private static DataSet taskOne() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {2, -1}, {-1, 2}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        return new DataSet(x, y);
    }

    /**
     * Training on task 1 leaves the weights and biases of task 0's output units exactly as they were (they
     * receive no gradient), survives DL4J's JSON round trip, and the prediction among the task's head is right
     * even with task 0's unit biased far above the rest.
     */
    @Test
    void trainingATaskLeavesTheOtherHeadUntouchedAndPredictsAmongItsClasses() {
        MultiLayerNetwork net = fourClasses();
        assertThat(net.getLayerWiseConfigurations().toJson()).contains("TaskHeadCrossEntropy");
        net.getLayer(0).getParam("b").putScalar(0, 0, 100.0);
        INDArray w = net.getLayer(0).getParam("W").dup();
        INDArray b = net.getLayer(0).getParam("b").dup();

        for (int step = 0; step < 50; step++) {
            net.fit(taskOne());
        }

        INDArray wAfter = net.getLayer(0).getParam("W");
        INDArray bAfter = net.getLayer(0).getParam("b");
        assertThat(wAfter.getColumns(0, 1)).isEqualTo(w.getColumns(0, 1));
        assertThat(bAfter.getColumns(0, 1)).isEqualTo(b.getColumns(0, 1));
        assertThat(wAfter.getColumns(2, 3)).isNotEqualTo(w.getColumns(2, 3));

        DataSet data = taskOne();
        INDArray output = net.output(data.getFeatures());
        assertThat(output.argMax(1).toLongVector()).containsOnly(0L);
        INDArray p = LOSS.headProbabilities(data.getLabels(), preOutput(net, data), new ActivationSoftmax());
        long[] predicted = p.argMax(1).toLongVector();
        assertThat(predicted).containsExactly(2L, 3L, 2L, 3L);
        assertThat(p.getColumns(0, 1).sumNumber().doubleValue()).isEqualTo(0.0);
    }

    private static INDArray preOutput(MultiLayerNetwork net, DataSet data) {
        return data.getFeatures().mmul(net.getLayer(0).getParam("W")).addiRowVector(net.getLayer(0).getParam("b"));
    }
}
