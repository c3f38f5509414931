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
 * The adaptive threshold {@code theta <- theta + rate (a - target)} on the 2 x 3 identity layer, read after
 * the activity average of the same pass; the threshold is subtracted in the next pass's pre-activation.
 */
class AdaptiveThresholdTest {

    @Test
    void thresholdSlidesWithActivityAboveTargetAndIsSubtractedInTheNextPass() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withAdaptation(new AdaptationSettings(true, 0.5, 0.1, 1.0))
                .withActivityRate(0.5));
        assertClose(param(net, PlasticDenseParameters.ACTIVITY), row(0.5, 0.5, 0.5), 0);
        assertClose(param(net, PlasticDenseParameters.THRESHOLD), row(0, 0, 0), 0);
        assertClose(param(net, PlasticDenseParameters.GAIN), row(1, 1, 1), 0);

        trainingPass(net, x());
        // a1 = 0.5 * 0.5 + 0.5 * [1.6, 1.75, 3.55] = [1.05, 1.125, 2.025]
        // theta1 = 0 + 0.1 * (a1 - 0.5) = [0.055, 0.0625, 0.1525]
        double[] a1 = {1.05, 1.125, 2.025};
        double[] theta1 = {0.1 * (1.05 - 0.5), 0.1 * (1.125 - 0.5), 0.1 * (2.025 - 0.5)};
        assertClose(param(net, PlasticDenseParameters.THRESHOLD), row(theta1), 1e-12);

        INDArray y2 = trainingPass(net, x2());
        // y2 = g (x2.W + b - theta1) with g = 1; x2.W + b = [[1.1, 0.5, -0.7], [-0.4, 2.25, -4.45]]
        double[][] y2Expected = {
                {1.1 - theta1[0], 0.5 - theta1[1], -0.7 - theta1[2]},
                {-0.4 - theta1[0], 2.25 - theta1[1], -4.45 - theta1[2]}};
        assertClose(y2, matrix(y2Expected), 1e-12);
        double[] theta2 = new double[3];
        for (int j = 0; j < 3; j++) {
            double a2 = 0.5 * a1[j] + 0.5 * (Math.abs(y2Expected[0][j]) + Math.abs(y2Expected[1][j])) / 2;
            theta2[j] = theta1[j] + 0.1 * (a2 - 0.5);
        }
        assertClose(param(net, PlasticDenseParameters.THRESHOLD), row(theta2), 1e-12);
    }

    @Test
    void thresholdFallsForANeuronQuieterThanItsTarget() {
        // Target 4 above every neuron's activity: a1 = [1.6, 1.75, 3.55] (activity rate 1), theta1 = 0.5 (a1 - 4).
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withAdaptation(new AdaptationSettings(true, 4.0, 0.5, 1.0))
                .withActivityRate(1.0));

        trainingPass(net, x());
        assertClose(param(net, PlasticDenseParameters.THRESHOLD), row(0.5 * (1.6 - 4), 0.5 * (1.75 - 4), 0.5 * (3.55 - 4)), 1e-12);
    }
}
