package org.neuroplastic.model.network;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseParameters;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;

class NetworkFactoryWeightDecayTest {

    private static final double LEARNING_RATE = 0.1;
    private static final double WEIGHT_DECAY = 0.5;

    private static NetworkSpec spec(NetworkSpec.Variant variant, double weightDecay) {
        return new NetworkSpec(4, List.of(new LayerSpec(3, "relu", NetworkFactoryTest.EVERY_MECHANISM)),
                OutputSpec.classification(2), new UpdaterSpec(UpdaterSpec.Name.SGD, LEARNING_RATE), 7, variant)
                .withWeightDecay(weightDecay);
    }

    /** One SGD step with a zero loss gradient: whatever moves is moved by regularization alone. */
    private static void stepWithZeroGradient(MultiLayerNetwork net) {
        net.initGradientsView();
        INDArray gradient = net.getGradientsViewArray();
        gradient.assign(0);
        net.getUpdater().update(net, new DefaultGradient(gradient), 0, 0, 1, LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(gradient);
    }

    private static Map<String, double[]> copy(MultiLayerNetwork net) {
        Map<String, double[]> copy = new HashMap<>();
        net.paramTable().forEach((key, value) -> copy.put(key, values(value)));
        return copy;
    }

    @Test
    void weightsShrinkByLearningRateTimesDecayInAStepWithoutGradient() {
        for (NetworkSpec.Variant variant : NetworkSpec.Variant.values()) {
            MultiLayerNetwork net = NetworkFactory.build(spec(variant, WEIGHT_DECAY), NetworkFactory.Rewiring.BY_LAYER,
                    DataType.DOUBLE);
            Map<String, double[]> before = copy(net);

            stepWithZeroGradient(net);

            // WeightDecay with applyLR: W -= lr * coeff * W, so W is multiplied by 1 - 0.1 * 0.5 = 0.95.
            for (String key : List.of("0_W", "1_W")) {
                double[] expected = before.get(key);
                double[] actual = values(net.getParam(key));
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("%s %s[%d]", variant, key, i).isCloseTo(0.95 * expected[i], within(1e-12));
                }
                assertThat(Arrays.stream(expected).anyMatch(w -> w != 0)).as("%s %s has a nonzero weight", variant, key).isTrue();
            }
        }
    }

    @Test
    void biasesLearnedPlasticParametersAndPlasticStateAreNeverDecayed() {
        MultiLayerNetwork net = NetworkFactory.build(spec(NetworkSpec.Variant.PLASTIC, WEIGHT_DECAY),
                NetworkFactory.Rewiring.BY_LAYER, DataType.DOUBLE);
        assertThat(net.paramTable().keySet()).contains("0_" + PlasticDenseParameters.TRACE, "0_" + PlasticDenseParameters.MASK,
                "0_" + PlasticDenseParameters.SCALING, "0_" + PlasticDenseParameters.ACTIVITY,
                "0_" + PlasticDenseParameters.THRESHOLD, "0_" + PlasticDenseParameters.ALPHA, "0_" + PlasticDenseParameters.GAIN);
        // Nonzero values everywhere, so that a decay of any of them would show.
        net.paramTable().forEach((key, value) -> {
            if (!key.endsWith("_W")) {
                value.assign(0.25);
            }
        });
        Map<String, double[]> before = copy(net);

        stepWithZeroGradient(net);

        net.paramTable().forEach((key, value) -> {
            if (!key.endsWith("_W")) {
                assertThat(values(value)).as(key).containsExactly(before.get(key));
            }
        });
    }

    @Test
    void zeroDecayLeavesEveryParameterInPlace() {
        MultiLayerNetwork net = NetworkFactory.build(spec(NetworkSpec.Variant.PLASTIC, 0), NetworkFactory.Rewiring.BY_LAYER,
                DataType.DOUBLE);
        Map<String, double[]> before = copy(net);

        stepWithZeroGradient(net);

        net.paramTable().forEach((key, value) -> assertThat(values(value)).as(key).containsExactly(before.get(key)));
    }

    @Test
    void decayMustBeFiniteAndNotNegative() {
        assertThatThrownBy(() -> spec(NetworkSpec.Variant.PLASTIC, -0.1))
                .hasMessage("network.weight_decay must be a finite number >= 0, found -0.1");
        assertThatThrownBy(() -> spec(NetworkSpec.Variant.PLASTIC, Double.NaN))
                .hasMessage("network.weight_decay must be a finite number >= 0, found NaN");
    }

    @Test
    void existingConstructorAndCopiesKeepTheDecay() {
        NetworkSpec plain = NetworkFactoryTest.reference(NetworkFactoryTest.EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC);
        assertThat(plain.weightDecay()).isZero();
        NetworkSpec decayed = spec(NetworkSpec.Variant.PLASTIC, WEIGHT_DECAY);
        assertThat(decayed.withVariant(NetworkSpec.Variant.DENSE).weightDecay()).isEqualTo(WEIGHT_DECAY);
        assertThat(decayed.withSeed(3).weightDecay()).isEqualTo(WEIGHT_DECAY);
    }
}
