package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
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

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.layer;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;
import static org.neuroplastic.model.layer.TinyPlasticLayer.param;
import static org.neuroplastic.model.layer.TinyPlasticLayer.row;
import static org.neuroplastic.model.layer.TinyPlasticLayer.set;
import static org.neuroplastic.model.layer.TinyPlasticLayer.trainingPass;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;
import static org.neuroplastic.model.layer.TinyPlasticLayer.x;

/**
 * Backprop through the 2 x 3 identity layer with every mechanism on differentiates the forward pass that was
 * computed: it reads H, s, M (and W_eff) as they were before that pass updated them. The pass rewires
 * (rewire_every 1), so the mask and W change during it, as do H, s, the activity and theta.
 *
 * <pre>
 *   pre-pass state: alpha = 0.5 everywhere, H = [[0.5, 0.1, -0.2], [0.3, -0.4, 0.6]], s = [2, 0.5, 1],
 *   M = [[1, 0, 1], [0, 1, 1]], g = [1, 2, 0.5], theta = [0.1, 0.2, 0.3]
 *   W + alpha H = [[0.75, -0.95, 1.9], [1.15, 0.3, -0.2]]; (.) s_col = [[1.5, -0.475, 1.9], [2.3, 0.15, -0.2]]
 *   W_eff = [[1.5, 0, 1.9], [0, 0.15, -0.2]]
 *   z = x.W_eff + b - theta = [[1.5, 0.1, 1.0], [4.5, -0.35, 5.4]];  y = g z = [[1.5, 0.2, 0.5], [4.5, -0.7, 2.7]]
 *   epsilon = dL/dy = [[1, -1, 0.5], [2, 0, -1]]
 *   delta = dL/dz = epsilon (.) g = [[1, -2, 0.25], [2, 0, -0.5]]
 *   dL/dW_eff = x^T delta = [[1*1 + 3*2, -2 + 0, 0.25 - 1.5], [2*1 - 2, -4 + 0, 0.5 + 0.5]] = [[7, -2, -1.25], [0, -4, 1]]
 *   dL/dW = dL/dW_eff (.) M (.) s_col = [[14, 0, -1.25], [0, -2, 1]]
 *   dL/dalpha = dL/dW (.) H = [[7, 0, 0.25], [0, 0.8, 0.6]]
 *   dL/db = sum over the batch of delta = [3, -2, -0.25]
 *   dL/dg = sum of epsilon (.) z = [1.5 + 9, -0.1 + 0, 0.5 - 5.4] = [10.5, -0.1, -4.9]
 *   dL/dx = delta . W_eff^T = [[1.5 + 0.25*1.9, -2*0.15 + 0.25*-0.2], [3 - 0.95, 0.1]] = [[1.975, -0.35], [2.05, 0.1]]
 * </pre>
 */
class PlasticDenseBackpropTest {

    private static final INDArray TRACE = matrix(new double[] {0.5, 0.1, -0.2}, new double[] {0.3, -0.4, 0.6});
    private static final INDArray SCALING = row(2, 0.5, 1);
    private static final INDArray MASK = matrix(new double[] {1, 0, 1}, new double[] {0, 1, 1});

    private static MultiLayerNetwork everyMechanismOn() {
        MultiLayerNetwork net = TinyPlasticLayer.network(new PlasticitySettings(
                HebbianSettings.on(HebbianRule.DECAY, 0.5, PlasticityCoefficient.FREE, 0.5),
                ScalingSettings.on(0.5, 0.5, 0.5, 2.0),
                StructuralSettings.on(0.66, 0.5, 1, Regrowth.HEBBIAN),
                new AdaptationSettings(true, 0.5, 0.1, 1.0), 0.5, InferencePlasticity.off()));
        set(net, PlasticDenseParameters.TRACE, TRACE);
        set(net, PlasticDenseParameters.SCALING, SCALING);
        set(net, PlasticDenseParameters.MASK, MASK);
        set(net, PlasticDenseParameters.GAIN, row(1, 2, 0.5));
        set(net, PlasticDenseParameters.THRESHOLD, row(0.1, 0.2, 0.3));
        return net;
    }

    @Test
    void backpropUsesTheStateFromBeforeTheTrainingPass() {
        MultiLayerNetwork net = everyMechanismOn();
        INDArray weightBefore = param(net, PlasticDenseParameters.WEIGHT);

        INDArray y = trainingPass(net, x());
        assertClose(y, matrix(new double[] {1.5, 0.2, 0.5}, new double[] {4.5, -0.7, 2.7}), 1e-12);
        // The pass moved the state (and rewiring zeroed the regrown weights): the gradient below can only match
        // if backprop reads the state of before the pass.
        assertThat(values(param(net, PlasticDenseParameters.TRACE))).isNotEqualTo(values(TRACE));
        assertThat(values(param(net, PlasticDenseParameters.SCALING))).isNotEqualTo(values(SCALING));
        assertThat(values(param(net, PlasticDenseParameters.MASK))).isNotEqualTo(values(MASK));
        assertThat(values(param(net, PlasticDenseParameters.WEIGHT))).isNotEqualTo(values(weightBefore));

        INDArray epsilon = matrix(new double[] {1, -1, 0.5}, new double[] {2, 0, -1});
        Pair<Gradient, INDArray> result = layer(net).backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> g = result.getFirst().gradientForVariable();

        assertClose(g.get(PlasticDenseParameters.WEIGHT), matrix(new double[] {14, 0, -1.25}, new double[] {0, -2, 1}), 1e-12);
        assertClose(g.get(PlasticDenseParameters.ALPHA), matrix(new double[] {7, 0, 0.25}, new double[] {0, 0.8, 0.6}), 1e-12);
        assertClose(g.get(PlasticDenseParameters.BIAS), row(3, -2, -0.25), 1e-12);
        assertClose(g.get(PlasticDenseParameters.GAIN), row(10.5, -0.1, -4.9), 1e-12);
        assertClose(result.getSecond(), matrix(new double[] {1.975, -0.35}, new double[] {2.05, 0.1}), 1e-12);
    }

    @Test
    void sharedAlphaGradientIsTheSumOverConnections() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.5, PlasticityCoefficient.SHARED, 0.5)));
        set(net, PlasticDenseParameters.TRACE, TRACE);
        trainingPass(net, x());
        // No gain, mask or scaling: delta = epsilon, dL/dW = x^T epsilon
        // = [[1*1 + 3*2, -1 + 0, 0.5 - 3], [2*1 - 2, -2 + 0, 1 + 1]] = [[7, -1, -2.5], [0, -2, 2]]
        // dL/dalpha = sum(dL/dW (.) H_before) = 3.5 - 0.1 + 0.5 + 0 + 0.8 + 1.2 = 5.9
        INDArray epsilon = matrix(new double[] {1, -1, 0.5}, new double[] {2, 0, -1});
        Map<String, INDArray> g = layer(net).backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces())
                .getFirst().gradientForVariable();

        assertClose(g.get(PlasticDenseParameters.WEIGHT), matrix(new double[] {7, -1, -2.5}, new double[] {0, -2, 2}), 1e-12);
        assertClose(g.get(PlasticDenseParameters.ALPHA), matrix(new double[] {5.9}), 1e-12);
    }

    @Test
    void scalingWithoutAMaskReachesTheGradientWithTheFactorsOfBeforeThePass() {
        // Without a mask the layer keeps s, not a full synapse gain: W_eff = W (.) s_col with s = [2, 0.5, 1]
        // = [[1, -0.5, 2], [2, 0.25, -0.5]]; y = x.W_eff + b = [[5.1, 0, 0.8], [1.1, -1.75, 6.3]].
        // dL/dW_eff = x^T epsilon = [[7, -1, -2.5], [0, -2, 2]]; dL/dW = (.) s_col = [[14, -0.5, -2.5], [0, -1, 2]];
        // dL/dx = epsilon . W_eff^T = [[1 + 0.5 + 1, 2 - 0.25 - 0.25], [2 - 2, 4 + 0.5]] = [[2.5, 1.5], [0, 4.5]].
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withScaling(ScalingSettings.on(0.5, 0.5, 0.5, 2.0)).withActivityRate(0.5));
        set(net, PlasticDenseParameters.SCALING, SCALING);

        INDArray y = trainingPass(net, x());
        assertClose(y, matrix(new double[] {5.1, 0, 0.8}, new double[] {1.1, -1.75, 6.3}), 1e-12);
        assertThat(values(param(net, PlasticDenseParameters.SCALING))).isNotEqualTo(values(SCALING));

        INDArray epsilon = matrix(new double[] {1, -1, 0.5}, new double[] {2, 0, -1});
        Pair<Gradient, INDArray> result = layer(net).backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());

        assertClose(result.getFirst().gradientForVariable().get(PlasticDenseParameters.WEIGHT),
                matrix(new double[] {14, -0.5, -2.5}, new double[] {0, -1, 2}), 1e-12);
        assertClose(result.getSecond(), matrix(new double[] {2.5, 1.5}, new double[] {0, 4.5}), 1e-12);
    }

    @Test
    void stateGradientViewsAreZeroAfterBackprop() {
        MultiLayerNetwork net = everyMechanismOn();
        net.getGradientsViewArray().assign(7);

        trainingPass(net, x());
        layer(net).backpropGradient(matrix(new double[] {1, -1, 0.5}, new double[] {2, 0, -1}),
                LayerWorkspaceMgr.noWorkspaces());

        Map<String, INDArray> views = PlasticDenseParameters.INSTANCE.getGradientsFromFlattened(
                layer(net).conf(), layer(net).getGradientsViewArray());
        assertThat(views.keySet()).contains(PlasticDenseParameters.TRACE, PlasticDenseParameters.MASK,
                PlasticDenseParameters.SCALING, PlasticDenseParameters.ACTIVITY, PlasticDenseParameters.THRESHOLD);
        for (Map.Entry<String, INDArray> e : views.entrySet()) {
            if (PlasticDenseParameters.isState(e.getKey())) {
                assertThat(e.getValue().amaxNumber().doubleValue()).as("gradient of %s", e.getKey()).isEqualTo(0.0);
            }
        }
    }

    @Test
    void withoutItsInputGradientTheLayerReturnsNoneAndTheSameParameterGradients() {
        MultiLayerNetwork full = everyMechanismOn();
        MultiLayerNetwork first = everyMechanismOn();
        ((PlasticDense) layer(first).conf().getLayer()).setInputGradient(false);
        // One epsilon each: backprop may scale its epsilon in place.
        INDArray epsilon = matrix(new double[] {1, -1, 0.5}, new double[] {2, 0, -1});
        INDArray sameEpsilon = epsilon.dup();

        trainingPass(full, x());
        trainingPass(first, x());
        Pair<Gradient, INDArray> withInput = layer(full).backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> without = layer(first).backpropGradient(sameEpsilon, LayerWorkspaceMgr.noWorkspaces());

        assertThat(without.getSecond()).isNull();
        assertThat(withInput.getSecond()).isNotNull();
        assertIdentical(without.getFirst().gradientForVariable(), withInput.getFirst().gradientForVariable());
    }
}
