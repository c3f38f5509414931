package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FisherInformationTest {

    static final PlasticitySettings EVERY_MECHANISM = new PlasticitySettings(
            HebbianSettings.on(HebbianRule.OJA, 0.05, PlasticityCoefficient.FREE, 0.1),
            ScalingSettings.on(0.5, 0.05, 0.5, 2.0),
            StructuralSettings.on(0.8, 0.1, 2, Regrowth.HEBBIAN),
            new AdaptationSettings(true, 0.5, 0.01, 1.0), 0.05, InferencePlasticity.off());

    /** Softmax over 2 classes from 2 inputs, all parameters 0; flat parameters W00, W10, W01, W11, b0, b1. */
    private static MultiLayerNetwork softmax() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.params().assign(0);
        return net;
    }

    /** x = (1, 2) of class 0 and x = (3, -1) of class 1, in one minibatch. */
    private static List<DataSet> twoExamples() {
        return List.of(new DataSet(Nd4j.createFromArray(new double[][] {{1, 2}, {3, -1}}),
                Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}})));
    }

    /**
     * With all parameters 0, p = (0.5, 0.5) and d(-log p_y)/dz_k = p_k - y_k, so dW_jk = x_j (p_k - y_k)
     * and db_k = p_k - y_k:
     * <pre>
     *   example 1 (x = (1, 2), y = 0): p - y = (-0.5, 0.5) -> W00 -0.5, W10 -1,   W01  0.5, W11 1,   b (-0.5, 0.5)
     *   example 2 (x = (3,-1), y = 1): p - y = ( 0.5,-0.5) -> W00  1.5, W10 -0.5, W01 -1.5, W11 0.5, b ( 0.5,-0.5)
     *   mean squares: W00 (0.25 + 2.25)/2 = 1.25, W10 (1 + 0.25)/2 = 0.625, W01 1.25, W11 0.625, b 0.25, 0.25
     * </pre>
     */
    @Test
    void diagonalIsTheMeanSquaredPerExampleGradientOfTheLogLikelihood() {
        double[] fisher = FisherInformation.diagonal(softmax(), twoExamples(), 10, 1);

        assertThat(fisher).containsExactly(new double[] {1.25, 0.625, 1.25, 0.625, 0.25, 0.25}, within(1e-12));
    }

    @Test
    void cappedSampleUsesThatManyOfTheExamples() {
        double[] fisher = FisherInformation.diagonal(softmax(), twoExamples(), 1, 1);

        double[] first = {0.25, 1, 0.25, 1, 0.25, 0.25};
        double[] second = {2.25, 0.25, 2.25, 0.25, 0.25, 0.25};
        assertThat(fisher).satisfiesAnyOf(
                f -> assertThat(f).containsExactly(first, within(1e-12)),
                f -> assertThat(f).containsExactly(second, within(1e-12)));
    }

    private static MultiLayerNetwork plastic() {
        NetworkSpec spec = new NetworkSpec(4, List.of(new LayerSpec(6, "relu", EVERY_MECHANISM)),
                OutputSpec.classification(3), UpdaterSpec.adam(0.01), 5, NetworkSpec.Variant.PLASTIC);
        return NetworkFactory.build(spec);
    }

    private static List<DataSet> randomClassification(int examples, long seed) {
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), examples, 4).castTo(DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, examples, 3);
        for (int i = 0; i < examples; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return List.of(new DataSet(x, y));
    }

    @Test
    void plasticStateGetsNoImportanceAndIsLeftUntouched() {
        MultiLayerNetwork net = plastic();
        net.fit(randomClassification(12, 2).get(0));
        INDArray before = net.params().dup();

        double[] fisher = FisherInformation.diagonal(net, randomClassification(20, 3), 20, 1);

        assertThat(net.params()).isEqualTo(before);
        List<Double> state = new ArrayList<>();
        List<Double> learned = new ArrayList<>();
        int offset = 0;
        for (Layer layer : net.getLayers()) {
            for (Map.Entry<String, INDArray> entry : layer.paramTable(false).entrySet()) {
                boolean isState = layer instanceof PlasticDenseLayer && PlasticDenseParameters.isState(entry.getKey());
                for (int i = 0; i < entry.getValue().length(); i++) {
                    (isState ? state : learned).add(fisher[offset + i]);
                }
                offset += (int) entry.getValue().length();
            }
        }
        assertThat(offset).isEqualTo(fisher.length);
        assertThat(state).isNotEmpty().containsOnly(0.0);
        assertThat(learned.stream().filter(f -> f > 0).count()).isGreaterThan(learned.size() / 2);
    }
}
