package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;

/** With every mechanism off, a PlasticDense network computes exactly what DL4J's DenseLayer network computes. */
class PlasticDenseMatchesDenseLayerTest {

    private static final Activation[] HIDDEN = {Activation.TANH, Activation.RELU};

    private static MultiLayerNetwork network(boolean plastic) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new Adam(0.01)).l2(1e-3).list();
        int[] sizes = {6, 5, 4};
        for (int i = 0; i < 2; i++) {
            FeedForwardLayer layer = plastic
                    ? new PlasticDense.Builder().nIn(sizes[i]).nOut(sizes[i + 1]).activation(HIDDEN[i])
                            .weightInit(WeightInit.XAVIER).biasInit(0.1).plasticity(PlasticitySettings.off()).build()
                    : new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1]).activation(HIDDEN[i])
                            .weightInit(WeightInit.XAVIER).biasInit(0.1).build();
            list.layer(layer);
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork plasticCopyOf(MultiLayerNetwork dense) {
        MultiLayerNetwork plastic = network(true);
        for (int l = 0; l < 3; l++) {
            for (Map.Entry<String, INDArray> e : dense.getLayer(l).paramTable().entrySet()) {
                plastic.getLayer(l).setParam(e.getKey(), e.getValue());
            }
        }
        return plastic;
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.DOUBLE, 8, 6).subi(0.5).muli(4);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 8, 3);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(features, labels);
    }

    @Test
    void outputsAndGradientsEqualDenseLayerWithTheSameWeights() {
        MultiLayerNetwork dense = network(false);
        MultiLayerNetwork plastic = plasticCopyOf(dense);
        assertThat(plastic.numParams()).isEqualTo(dense.numParams());
        DataSet data = batch(1);

        assertClose(plastic.output(data.getFeatures()), dense.output(data.getFeatures()), 1e-6);

        for (MultiLayerNetwork net : new MultiLayerNetwork[] {dense, plastic}) {
            net.setInput(data.getFeatures());
            net.setLabels(data.getLabels());
            net.computeGradientAndScore();
        }
        assertThat(plastic.score()).isCloseTo(dense.score(), within(1e-6));
        Map<String, INDArray> expected = dense.gradient().gradientForVariable();
        Map<String, INDArray> actual = plastic.gradient().gradientForVariable();
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String key : expected.keySet()) {
            assertClose(actual.get(key), expected.get(key), 1e-6);
        }
        assertClose(plastic.getGradientsViewArray(), dense.getGradientsViewArray(), 1e-6);
    }

    @Test
    void trainingFollowsDenseLayerStepForStep() {
        MultiLayerNetwork dense = network(false);
        MultiLayerNetwork plastic = plasticCopyOf(dense);

        for (int step = 0; step < 20; step++) {
            DataSet data = batch(step);
            dense.fit(data);
            plastic.fit(data);
        }

        assertClose(plastic.params(), dense.params(), 1e-6);
        DataSet test = batch(100);
        assertClose(plastic.output(test.getFeatures()), dense.output(test.getFeatures()), 1e-6);
    }
}
