package org.neuroplastic.model.plasticity;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.layer.TinyPlasticLayer;

import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;
import static org.neuroplastic.model.layer.TinyPlasticLayer.param;
import static org.neuroplastic.model.layer.TinyPlasticLayer.row;
import static org.neuroplastic.model.layer.TinyPlasticLayer.trainingPass;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x2;

/**
 * Synaptic scaling {@code s <- clamp(s (target / a)^rate, min, max)} on the 2 x 3 identity layer, read after
 * the activity average of the same pass. First pass outputs y = [[2.6, 0, 0.8], [0.6, -3.5, 6.3]],
 * {@code <|y|> = [1.6, 1.75, 3.55]}.
 */
class SynapticScalingTest {

    @Test
    void scalingMovesEachFactorTowardTargetOverActivityAndClampsAtTheMinimum() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withScaling(ScalingSettings.on(0.5, 0.5, 0.5, 2.0))
                .withActivityRate(0.5));

        INDArray y1 = trainingPass(net, x());
        // The first pass reads s = 1: the plain outputs.
        assertClose(y1, matrix(new double[] {2.6, 0, 0.8}, new double[] {0.6, -3.5, 6.3}), 1e-12);
        // a1 = 0.5 * 0.5 + 0.5 * <|y|> = [1.05, 1.125, 2.025]
        // s1 = (0.5 / a1)^0.5 = [0.690066, 0.666667, 0.496904 -> clamped to 0.5]
        double[] s1 = {Math.sqrt(0.5 / 1.05), Math.sqrt(0.5 / 1.125), 0.5};
        assertClose(param(net, PlasticDenseParameters.SCALING), row(s1), 1e-12);
        assertClose(param(net, PlasticDenseParameters.SCALING), row(0.6900655593423543, 2.0 / 3, 0.5), 1e-12);

        INDArray y2 = trainingPass(net, x2());
        // y2 = x2 . (W (.) s1_col) + b with x2 = [[0, 1], [-2, 0.5]]:
        //   row 0: [1 * s1_0 + 0.1, 0.5 * s1_1, -0.5 * s1_2 - 0.2]
        //   row 1: [(-2 * 0.5 + 0.5 * 1) s1_0 + 0.1, (-2 * -1 + 0.5 * 0.5) s1_1, (-2 * 2 + 0.5 * -0.5) s1_2 - 0.2]
        double[][] y2Expected = {
                {s1[0] + 0.1, 0.5 * s1[1], -0.5 * s1[2] - 0.2},
                {-0.5 * s1[0] + 0.1, 2.25 * s1[1], -4.25 * s1[2] - 0.2}};
        assertClose(y2, matrix(y2Expected), 1e-12);
        double[] a1 = {1.05, 1.125, 2.025};
        double[] s2 = new double[3];
        for (int j = 0; j < 3; j++) {
            double a2 = 0.5 * a1[j] + 0.5 * (Math.abs(y2Expected[0][j]) + Math.abs(y2Expected[1][j])) / 2;
            s2[j] = Math.min(2.0, Math.max(0.5, s1[j] * Math.pow(0.5 / a2, 0.5)));
        }
        assertClose(param(net, PlasticDenseParameters.SCALING), row(s2), 1e-12);
    }

    @Test
    void scalingClampsAtTheMaximumWhenActivityIsBelowTarget() {
        // Rate 1 and activity rate 1: a1 = <|y|> = [1.6, 1.75, 3.55] and s1 = clamp(2 / a1, 0.5, 1.2).
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withScaling(ScalingSettings.on(2.0, 1.0, 0.5, 1.2))
                .withActivityRate(1.0));

        trainingPass(net, x());
        // 2 / 1.6 = 1.25 -> clamped to 1.2; 2 / 1.75 = 1.142857; 2 / 3.55 = 0.563380
        assertClose(param(net, PlasticDenseParameters.SCALING), row(1.2, 2 / 1.75, 2 / 3.55), 1e-12);
    }
}
