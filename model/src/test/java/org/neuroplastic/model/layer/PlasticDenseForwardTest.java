package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;
import static org.neuroplastic.model.layer.TinyPlasticLayer.row;
import static org.neuroplastic.model.layer.TinyPlasticLayer.set;
import static org.neuroplastic.model.layer.TinyPlasticLayer.trainingPass;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x;

/**
 * {@code y = phi(g (x . W_eff + b - theta))}, {@code W_eff = M (.) s_col (.) (W + alpha (.) H)} on the 2 x 3
 * layer with x = [[1, 2], [3, -1]], W = [[0.5, -1, 2], [1, 0.5, -0.5]], b = [0.1, 0, -0.2], one mechanism at a
 * time and all together. The state is set by hand; both inference and a training pass (which computes its
 * output from the state as it was) must give the hand-computed output.
 */
class PlasticDenseForwardTest {

    private static final INDArray TRACE = matrix(new double[] {0.2, -0.4, 0.1}, new double[] {0.3, 0.5, -0.2});
    private static final INDArray FREE_ALPHA = matrix(new double[] {0.5, 1, -1}, new double[] {2, 0, 0.5});
    private static final INDArray SCALING = row(2, 0.5, 1.5);
    private static final INDArray MASK = matrix(new double[] {1, 0, 1}, new double[] {0, 1, 1});
    private static final INDArray GAIN = row(2, 1, 0.5);
    private static final INDArray THRESHOLD = row(0.1, -0.5, 0.3);

    private static final HebbianSettings FREE = HebbianSettings.on(HebbianRule.DECAY, 0.5, PlasticityCoefficient.FREE, 0.01);

    private static void assertOutput(MultiLayerNetwork net, double[]... expected) {
        assertClose(net.output(x()), matrix(expected), 1e-12);
        assertClose(trainingPass(net, x()), matrix(expected), 1e-12);
    }

    @Test
    void allOffComputesTheAffineMap() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off());
        // x.W + b: row 0 [1*0.5 + 2*1, 1*-1 + 2*0.5, 1*2 + 2*-0.5] + b, row 1 [3*0.5 - 1, -3 - 0.5, 6 + 0.5] + b
        assertOutput(net, new double[] {2.6, 0, 0.8}, new double[] {0.6, -3.5, 6.3});
    }

    @Test
    void freeAlphaAddsTheTraceConnectionByConnection() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off().withHebbian(FREE));
        set(net, PlasticDenseParameters.TRACE, TRACE);
        set(net, PlasticDenseParameters.ALPHA, FREE_ALPHA);
        // W + alpha (.) H = [[0.5 + 0.1, -1 - 0.4, 2 - 0.1], [1 + 0.6, 0.5 + 0, -0.5 - 0.1]] = [[0.6, -1.4, 1.9], [1.6, 0.5, -0.6]]
        // row 0 (1, 2): [0.6 + 3.2, -1.4 + 1, 1.9 - 1.2] + b = [3.9, -0.4, 0.5]
        // row 1 (3, -1): [1.8 - 1.6, -4.2 - 0.5, 5.7 + 0.6] + b = [0.3, -4.7, 6.1]
        assertOutput(net, new double[] {3.9, -0.4, 0.5}, new double[] {0.3, -4.7, 6.1});
    }

    @Test
    void sharedAlphaScalesTheWholeTrace() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.SHARED, 0.01)));
        set(net, PlasticDenseParameters.TRACE, TRACE);
        set(net, PlasticDenseParameters.ALPHA, matrix(new double[] {2}));
        // W + 2 H = [[0.9, -1.8, 2.2], [1.6, 1.5, -0.9]]
        // row 0: [0.9 + 3.2, -1.8 + 3, 2.2 - 1.8] + b = [4.2, 1.2, 0.2]; row 1: [2.7 - 1.6, -5.4 - 1.5, 6.6 + 0.9] + b = [1.2, -6.9, 7.3]
        assertOutput(net, new double[] {4.2, 1.2, 0.2}, new double[] {1.2, -6.9, 7.3});
    }

    @Test
    void fixedAlphaIsTheConfiguredConstant() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.DECAY, 0.1, PlasticityCoefficient.FIXED, 2.0)));
        set(net, PlasticDenseParameters.TRACE, TRACE);
        // Same W + 2 H as with a shared alpha of 2.
        assertOutput(net, new double[] {4.2, 1.2, 0.2}, new double[] {1.2, -6.9, 7.3});
    }

    @Test
    void scalingMultipliesEveryIncomingSynapseOfANeuron() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withScaling(ScalingSettings.on(0.5, 0.1, 0.5, 2.0)));
        set(net, PlasticDenseParameters.SCALING, SCALING);
        // x.W = [[2.5, 0, 1], [0.5, -3.5, 6.5]]; (.) s = [[5, 0, 1.5], [1, -1.75, 9.75]]; + b
        assertOutput(net, new double[] {5.1, 0, 1.3}, new double[] {1.1, -1.75, 9.55});
    }

    @Test
    void maskRemovesAbsentConnections() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withStructural(StructuralSettings.on(0.66, 0.2, 1000, Regrowth.RANDOM)));
        set(net, PlasticDenseParameters.MASK, MASK);
        // W (.) M = [[0.5, 0, 2], [0, 0.5, -0.5]]
        // row 0: [0.5, 1, 2 - 1] + b = [0.6, 1, 0.8]; row 1: [1.5, -0.5, 6 + 0.5] + b = [1.6, -0.5, 6.3]
        assertOutput(net, new double[] {0.6, 1, 0.8}, new double[] {1.6, -0.5, 6.3});
    }

    @Test
    void adaptationSubtractsTheThresholdThenAppliesTheGain() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withAdaptation(new AdaptationSettings(true, 0.5, 0.1, 1.0)));
        set(net, PlasticDenseParameters.GAIN, GAIN);
        set(net, PlasticDenseParameters.THRESHOLD, THRESHOLD);
        // x.W + b - theta = [[2.6 - 0.1, 0 + 0.5, 0.8 - 0.3], [0.6 - 0.1, -3.5 + 0.5, 6.3 - 0.3]] = [[2.5, 0.5, 0.5], [0.5, -3, 6]]
        // times g = [2, 1, 0.5]
        assertOutput(net, new double[] {5, 0.5, 0.25}, new double[] {1, -3, 3});
    }

    @Test
    void activationAppliesAfterTheGain() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withAdaptation(new AdaptationSettings(true, 0.5, 0.1, 1.0)), Activation.TANH, 7);
        set(net, PlasticDenseParameters.GAIN, GAIN);
        set(net, PlasticDenseParameters.THRESHOLD, THRESHOLD);
        assertOutput(net,
                new double[] {Math.tanh(5), Math.tanh(0.5), Math.tanh(0.25)},
                new double[] {Math.tanh(1), Math.tanh(-3), Math.tanh(3)});
    }

    @Test
    void allMechanismsTogether() {
        MultiLayerNetwork net = TinyPlasticLayer.network(new PlasticitySettings(FREE,
                ScalingSettings.on(0.5, 0.1, 0.5, 2.0),
                StructuralSettings.on(0.66, 0.2, 1000, Regrowth.HEBBIAN),
                new AdaptationSettings(true, 0.5, 0.1, 1.0), 0.1, InferencePlasticity.off()));
        set(net, PlasticDenseParameters.TRACE, TRACE);
        set(net, PlasticDenseParameters.ALPHA, FREE_ALPHA);
        set(net, PlasticDenseParameters.SCALING, SCALING);
        set(net, PlasticDenseParameters.MASK, MASK);
        set(net, PlasticDenseParameters.GAIN, GAIN);
        set(net, PlasticDenseParameters.THRESHOLD, THRESHOLD);
        // W + alpha (.) H = [[0.6, -1.4, 1.9], [1.6, 0.5, -0.6]]
        // (.) s_col [2, 0.5, 1.5] = [[1.2, -0.7, 2.85], [3.2, 0.25, -0.9]]
        // (.) M = W_eff = [[1.2, 0, 2.85], [0, 0.25, -0.9]]
        // x.W_eff: row 0 (1, 2) [1.2, 0.5, 2.85 - 1.8]; row 1 (3, -1) [3.6, -0.25, 8.55 + 0.9]
        // + b - theta = + [0, 0.5, -0.5]: [[1.2, 1.0, 0.55], [3.6, 0.25, 8.95]]; times g [2, 1, 0.5]
        assertOutput(net, new double[] {2.4, 1.0, 0.275}, new double[] {7.2, 0.25, 4.475});
    }
}
