package org.neuroplastic.model.plasticity;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.layer.TinyPlasticLayer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;
import static org.neuroplastic.model.layer.TinyPlasticLayer.param;
import static org.neuroplastic.model.layer.TinyPlasticLayer.trainingPass;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x2;

/**
 * The Hebbian rules on the 2 x 3 identity layer, two training passes (x, then x2), alpha fixed at 0 so that
 * the outputs are the plain ones given in {@link TinyPlasticLayer}:
 * y = [[2.6, 0, 0.8], [0.6, -3.5, 6.3]], y2 = [[1.1, 0.5, -0.7], [-0.4, 2.25, -4.45]].
 * The batch-mean correlations {@code C_ij = (x0i y0j + x1i y1j) / 2} are written out element by element:
 * C1 = [[2.2, -5.25, 9.85], [2.3, 1.75, -2.35]], C2 = [[0.4, -2.25, 4.45], [0.45, 0.8125, -1.4625]].
 */
class HebbianTraceTest {

    // C = <x^T y> for batch x = [[1, 2], [3, -1]].
    private static final INDArray C1 = matrix(
            new double[] {(1 * 2.6 + 3 * 0.6) / 2, (1 * 0 + 3 * -3.5) / 2, (1 * 0.8 + 3 * 6.3) / 2},
            new double[] {(2 * 2.6 + -1 * 0.6) / 2, (2 * 0 + -1 * -3.5) / 2, (2 * 0.8 + -1 * 6.3) / 2});
    // C2 = <x2^T y2> for batch x2 = [[0, 1], [-2, 0.5]].
    private static final INDArray C2 = matrix(
            new double[] {(0 * 1.1 + -2 * -0.4) / 2, (0 * 0.5 + -2 * 2.25) / 2, (0 * -0.7 + -2 * -4.45) / 2},
            new double[] {(1 * 1.1 + 0.5 * -0.4) / 2, (1 * 0.5 + 0.5 * 2.25) / 2, (1 * -0.7 + 0.5 * -4.45) / 2});

    @Test
    void decayRuleIsAnExponentialAverageOfTheBatchCorrelation() {
        double eta = 0.5;
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.DECAY, eta, PlasticityCoefficient.FIXED, 0)));

        trainingPass(net, x());
        // H1 = (1 - 0.5) * 0 + 0.5 * C1
        assertClose(param(net, PlasticDenseParameters.TRACE), C1.mul(0.5), 1e-12);

        trainingPass(net, x2());
        // H2 = 0.5 * H1 + 0.5 * C2 = 0.25 C1 + 0.5 C2
        assertClose(param(net, PlasticDenseParameters.TRACE), C1.mul(0.25).add(C2.mul(0.5)), 1e-12);
    }

    @Test
    void ojaRuleDecaysEachColumnByItsMeanSquaredOutputWithTheStepCappedAtOneOverIt() {
        // eta_j = min(eta, 1 / <y_j^2>); H_ij <- H_ij (1 - eta_j <y_j^2>) + eta_j <x_i y_j>
        double eta = 0.1;
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, eta, PlasticityCoefficient.FIXED, 0)));

        trainingPass(net, x());
        // <y_j^2> = [(2.6^2 + 0.6^2) / 2, 3.5^2 / 2, (0.8^2 + 6.3^2) / 2] = [3.56, 6.125, 20.165]
        // eta_j = [0.1, 0.1, 1 / 20.165] (0.1 * 20.165 > 1); H0 = 0, so H1 = eta_j C1
        double[] step1 = {0.1, 0.1, 1 / 20.165};
        double[][] h1 = new double[2][3];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                h1[i][j] = step1[j] * C1.getDouble(i, j);
            }
        }
        assertClose(param(net, PlasticDenseParameters.TRACE), matrix(h1), 1e-12);

        trainingPass(net, x2());
        // <y2_j^2>: j0 (1.1^2 + 0.4^2) / 2 = 0.685, j1 (0.5^2 + 2.25^2) / 2 = 2.65625, j2 (0.7^2 + 4.45^2) / 2 = 10.14625
        // eta_j = [0.1, 0.1, 1 / 10.14625]: the third column jumps to C2_i2 / 10.14625.
        double[] meanSquare = {0.685, 2.65625, 10.14625};
        double[] step2 = {0.1, 0.1, 1 / 10.14625};
        double[][] h2 = new double[2][3];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                h2[i][j] = h1[i][j] * (1 - step2[j] * meanSquare[j]) + step2[j] * C2.getDouble(i, j);
            }
        }
        assertClose(param(net, PlasticDenseParameters.TRACE), matrix(h2), 1e-12);
    }

    @Test
    void ojaRuleWithSmallOutputsIsThePlainEulerStep() {
        // eta = 0.01: eta <y_j^2> <= 0.2 everywhere, so eta_j = eta and H2 = H1 (1 - 0.01 <y2_j^2>) + 0.01 C2.
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.01, PlasticityCoefficient.FIXED, 0)));

        trainingPass(net, x());
        trainingPass(net, x2());

        double[] decay = {1 - 0.01 * 0.685, 1 - 0.01 * 2.65625, 1 - 0.01 * 10.14625};
        double[][] h2 = new double[2][3];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                h2[i][j] = 0.01 * C1.getDouble(i, j) * decay[j] + 0.01 * C2.getDouble(i, j);
            }
        }
        assertClose(param(net, PlasticDenseParameters.TRACE), matrix(h2), 1e-12);
    }

    @Test
    void ojaRuleKeepsTheTraceOfAnOutputSilentForTheWholeBatch() {
        // Both rows of x are multiples of [1, 2], orthogonal to W's column 1 = [-1, 0.5] (b_1 = 0): y_1 = 0 for the
        // batch, so <y_1^2> = 0 and C_i1 = 0; eta_1 = min(eta, 1 / 0) = eta and H_i1 <- (1 - eta * 0) H_i1 + 0.
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.FIXED, 0)));
        INDArray before = matrix(new double[] {0.5, 0.1, -0.2}, new double[] {0.3, -0.4, 0.6});
        TinyPlasticLayer.set(net, PlasticDenseParameters.TRACE, before);

        trainingPass(net, matrix(new double[] {1, 2}, new double[] {2, 4}));

        INDArray after = param(net, PlasticDenseParameters.TRACE);
        assertThat(after.getColumn(1).toDoubleVector()).containsExactly(0.1, -0.4);
        assertThat(after.getColumn(0).toDoubleVector()).doesNotContain(0.5, 0.3);
    }

    @Test
    void ojaTraceSettlesAtCorrelationOverMeanSquareForARepeatedBatch() {
        // Fed the same batch, Oja's rule has the fixed point H*_ij = <x_i y_j> / <y_j^2> and must stay bounded on its
        // way there. <y_j^2> for y = [[2.6, 0, 0.8], [0.6, -3.5, 6.3]]: (2.6^2 + 0.6^2) / 2 = 3.56,
        // (0 + 3.5^2) / 2 = 6.125, (0.8^2 + 6.3^2) / 2 = 20.165. With eta = 0.1, eta <y_2^2> = 2.0165: the plain
        // Euler step H <- (1 - 2.0165) H + ... flips sign and grows by 1.0165 per step instead of settling.
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.FIXED, 0)));

        for (int step = 0; step < 300; step++) {
            trainingPass(net, x());
        }

        INDArray fixedPoint = matrix(
                new double[] {2.2 / 3.56, -5.25 / 6.125, 9.85 / 20.165},
                new double[] {2.3 / 3.56, 1.75 / 6.125, -2.35 / 20.165});
        assertClose(param(net, PlasticDenseParameters.TRACE), fixedPoint, 1e-6);
    }
}
