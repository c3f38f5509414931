package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The learned parameter counts and the widths of the parameter-matched dense baseline (issue 19), by hand. */
class LearnedParametersTest {

    private static PlasticitySettings hebbian(PlasticityCoefficient alpha) {
        return PlasticitySettings.off().withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.01, alpha, 0.01));
    }

    /** 64 -> [64 relu] -> 10 classes. */
    private static NetworkSpec oneHidden(PlasticityCoefficient alpha, NetworkSpec.Variant variant) {
        return new NetworkSpec(64, List.of(new LayerSpec(64, "relu", hebbian(alpha))), OutputSpec.classification(10),
                UpdaterSpec.adam(0.01), 7, variant);
    }

    /** What the updater changes: every entry of the parameter vector but PlasticDense's state. */
    private static long learnedEntries(MultiLayerNetwork net) {
        return net.paramTable().entrySet().stream()
                .filter(e -> !PlasticDenseParameters.isState(e.getKey().substring(e.getKey().indexOf('_') + 1)))
                .mapToLong(e -> e.getValue().length()).sum();
    }

    @Test
    void freeAlphaNearlyDoublesTheLearnedParametersAndTheMatchedWidthIsTheClosestCount() {
        // Plastic: W 64*64 = 4096, alpha 4096, b 64, output 64*10 + 10 = 650: 8906.
        // Dense of width h: 64h + h + 10h + 10 = 75h + 10; h = 64: 4810;
        // h = 118: 8860 (46 below), h = 119: 8935 (29 above), so 119.
        NetworkSpec plastic = oneHidden(PlasticityCoefficient.FREE, NetworkSpec.Variant.PLASTIC);

        assertThat(LearnedParameters.plastic(plastic)).isEqualTo(8906);
        assertThat(LearnedParameters.of(plastic.withVariant(NetworkSpec.Variant.DENSE))).isEqualTo(4810);
        assertThat(LearnedParameters.matchedWidths(plastic)).containsExactly(119);
        assertThat(LearnedParameters.of(plastic.withVariant(NetworkSpec.Variant.DENSE_MATCHED))).isEqualTo(8935);
        assertThat(LearnedParameters.describeMatch(plastic)).isEqualTo(
                "dense_matched: hidden widths [119] for the plastic [64], 8935 learned parameters for the plastic "
                        + "network's 8906");
    }

    @Test
    void theBuiltNetworksLearnAsManyParametersAsCounted() {
        for (NetworkSpec.Variant variant : NetworkSpec.Variant.values()) {
            for (PlasticityCoefficient alpha : PlasticityCoefficient.values()) {
                NetworkSpec spec = oneHidden(alpha, variant);
                assertThat(learnedEntries(NetworkFactory.build(spec))).as("%s, alpha %s", variant, alpha)
                        .isEqualTo(LearnedParameters.of(spec));
            }
            // Every mechanism: the gain g is learned, the trace, mask, scaling, activity and threshold are not.
            NetworkSpec reference = NetworkFactoryTest.reference(NetworkFactoryTest.EVERY_MECHANISM, variant);
            assertThat(learnedEntries(NetworkFactory.build(reference))).as("%s, every mechanism", variant)
                    .isEqualTo(LearnedParameters.of(reference));
        }
        // 10 -> [32, 16] -> 1 with W, alpha, b and g: 10*32*2 + 32 + 32 + 32*16*2 + 16 + 16 + 16 + 1 = 1777.
        assertThat(LearnedParameters.plastic(NetworkFactoryTest.reference(NetworkFactoryTest.EVERY_MECHANISM,
                NetworkSpec.Variant.PLASTIC))).isEqualTo(1777);
    }

    @Test
    void aSharedAlphaAddsOneParameterAndKeepsTheWidths() {
        // Plastic: 4096 + 1 + 64 + 650 = 4811; width 64 gives 4810 (1 below), 65 gives 4885.
        NetworkSpec plastic = oneHidden(PlasticityCoefficient.SHARED, NetworkSpec.Variant.PLASTIC);

        assertThat(LearnedParameters.plastic(plastic)).isEqualTo(4811);
        assertThat(LearnedParameters.matchedWidths(plastic)).containsExactly(64);
    }

    @Test
    void aFixedAlphaLearnsWhatTheDenseBaselineLearns() {
        NetworkSpec plastic = oneHidden(PlasticityCoefficient.FIXED, NetworkSpec.Variant.PLASTIC);

        assertThat(LearnedParameters.plastic(plastic)).isEqualTo(4810);
        assertThat(LearnedParameters.matchedWidths(plastic)).containsExactly(64);
        assertThat(plastic.withVariant(NetworkSpec.Variant.DENSE_MATCHED).builtHidden()).isEqualTo(plastic.hidden());
    }

    @Test
    void twoHiddenLayersAreWidenedByOneCommonFactor() {
        // Plastic 10 -> [32, 16] -> 1, free alpha: 10*32*2 + 32 + 32*16*2 + 16 + 16 + 1 = 1729.
        // At s = 3/2 the dense widths [48, 24] give 10*48 + 48 + 48*24 + 24 + 24 + 1 = 1729: the same count.
        NetworkSpec plastic = NetworkFactoryTest.reference(hebbian(PlasticityCoefficient.FREE), NetworkSpec.Variant.PLASTIC);

        assertThat(LearnedParameters.plastic(plastic)).isEqualTo(1729);
        assertThat(LearnedParameters.matchedWidths(plastic)).containsExactly(48, 24);
    }

    @Test
    void layersOfEqualWidthStayEqual() {
        // Plastic 8 -> [16, 16] -> 2, free alpha: 8*16*2 + 16 + 16*16*2 + 16 + 16*2 + 2 = 834.
        // Dense [w, w]: 8w + w + w*w + w + 2w + 2 = w^2 + 12w + 2; w = 23: 807 (27 below), w = 24: 866 (32 above).
        NetworkSpec plastic = new NetworkSpec(8, List.of(new LayerSpec(16, "tanh", hebbian(PlasticityCoefficient.FREE)),
                new LayerSpec(16, "tanh", hebbian(PlasticityCoefficient.FREE))), OutputSpec.classification(2),
                UpdaterSpec.adam(0.01), 7, NetworkSpec.Variant.PLASTIC);

        assertThat(LearnedParameters.plastic(plastic)).isEqualTo(834);
        assertThat(LearnedParameters.matchedWidths(plastic)).containsExactly(23, 23);
    }

    @Test
    void aNetworkWithoutHiddenLayersHasNothingToWiden() {
        NetworkSpec linear = new NetworkSpec(5, List.of(), OutputSpec.classification(3), UpdaterSpec.adam(0.01), 7,
                NetworkSpec.Variant.DENSE_MATCHED);

        assertThat(LearnedParameters.matchedWidths(linear)).isEmpty();
        assertThat(LearnedParameters.of(linear)).isEqualTo(5 * 3 + 3);
    }

    @Test
    void theMatchedBaselineRefusesContinualBackpropAsTheDenseOneDoes() {
        ContinualBackpropSettings cbp = new ContinualBackpropSettings(1e-3, 50, 0.95);
        NetworkSpec plastic = oneHidden(PlasticityCoefficient.FREE, NetworkSpec.Variant.PLASTIC).withContinualBackprop(cbp);

        for (NetworkSpec.Variant dense : List.of(NetworkSpec.Variant.DENSE, NetworkSpec.Variant.DENSE_MATCHED)) {
            assertThatThrownBy(() -> new NetworkSpec(64, plastic.hidden(), plastic.output(), plastic.updater(), 7, dense,
                    0, cbp)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("network.continual_backprop needs network.variant plastic (its layers keep the units' "
                            + "utilities and ages), found " + ConfigName.of(dense));
            assertThat(plastic.withVariant(dense).continualBackprop()).isEqualTo(ContinualBackpropSettings.OFF);
        }
    }
}
