package org.neuroplastic.model.plasticity;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.layer.TinyPlasticLayer;

import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.param;
import static org.neuroplastic.model.layer.TinyPlasticLayer.row;
import static org.neuroplastic.model.layer.TinyPlasticLayer.trainingPass;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x2;

/**
 * The activity average {@code a <- (1 - r) a + r <|y|>} on the 2 x 3 identity layer. Scaling is on with
 * rate 0 so that the average exists while the factor stays 1 and the outputs stay the plain ones
 * y = [[2.6, 0, 0.8], [0.6, -3.5, 6.3]], y2 = [[1.1, 0.5, -0.7], [-0.4, 2.25, -4.45]].
 */
class ActivityAverageTest {

    @Test
    void activityAverageFollowsTheMeanAbsoluteOutputAndStartsAtTheTarget() {
        double r = 0.5;
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withScaling(ScalingSettings.on(0.5, 0, 0.5, 2.0))
                .withActivityRate(r));
        // Initialised at the scaling target.
        assertClose(param(net, PlasticDenseParameters.ACTIVITY), row(0.5, 0.5, 0.5), 0);

        trainingPass(net, x());
        // <|y|> = [(2.6 + 0.6) / 2, (0 + 3.5) / 2, (0.8 + 6.3) / 2] = [1.6, 1.75, 3.55]; the negative -3.5 counts as 3.5.
        double[] a1 = {0.5 * 0.5 + 0.5 * 1.6, 0.5 * 0.5 + 0.5 * 1.75, 0.5 * 0.5 + 0.5 * 3.55};
        assertClose(param(net, PlasticDenseParameters.ACTIVITY), row(1.05, 1.125, 2.025), 1e-12);
        assertClose(param(net, PlasticDenseParameters.ACTIVITY), row(a1), 1e-12);

        trainingPass(net, x2());
        // <|y2|> = [(1.1 + 0.4) / 2, (0.5 + 2.25) / 2, (0.7 + 4.45) / 2] = [0.75, 1.375, 2.575]
        double[] a2 = {0.5 * a1[0] + 0.5 * 0.75, 0.5 * a1[1] + 0.5 * 1.375, 0.5 * a1[2] + 0.5 * 2.575};
        assertClose(param(net, PlasticDenseParameters.ACTIVITY), row(a2), 1e-12);
        assertClose(param(net, PlasticDenseParameters.SCALING), row(1, 1, 1), 0);
    }
}
