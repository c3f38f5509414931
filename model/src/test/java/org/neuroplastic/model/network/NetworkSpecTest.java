package org.neuroplastic.model.network;

import org.junit.jupiter.api.Test;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each with-method changes its one setting and keeps every other (issue 18: a setting lost on the way). */
class NetworkSpecTest {

    private static final ContinualBackpropSettings CBP = new ContinualBackpropSettings(1e-3, 50, 0.95);
    private static final NetworkSpec EVERY_SETTING_SET = new NetworkSpec(5,
            List.of(new LayerSpec(4, "tanh", PlasticitySettings.off())), OutputSpec.classification(3),
            UpdaterSpec.adam(0.02), 17, NetworkSpec.Variant.PLASTIC, 0.25, CBP);

    @Test
    void withWeightDecayKeepsEveryOtherSetting() {
        assertThat(EVERY_SETTING_SET.withWeightDecay(0.5)).isEqualTo(new NetworkSpec(5, EVERY_SETTING_SET.hidden(),
                OutputSpec.classification(3), UpdaterSpec.adam(0.02), 17, NetworkSpec.Variant.PLASTIC, 0.5, CBP));
    }

    @Test
    void withContinualBackpropKeepsEveryOtherSetting() {
        assertThat(EVERY_SETTING_SET.withContinualBackprop(ContinualBackpropSettings.OFF)).isEqualTo(new NetworkSpec(5,
                EVERY_SETTING_SET.hidden(), OutputSpec.classification(3), UpdaterSpec.adam(0.02), 17,
                NetworkSpec.Variant.PLASTIC, 0.25, ContinualBackpropSettings.OFF));
    }

    @Test
    void withSeedKeepsEveryOtherSetting() {
        assertThat(EVERY_SETTING_SET.withSeed(18)).isEqualTo(new NetworkSpec(5, EVERY_SETTING_SET.hidden(),
                OutputSpec.classification(3), UpdaterSpec.adam(0.02), 18, NetworkSpec.Variant.PLASTIC, 0.25, CBP));
    }

    @Test
    void theDenseVariantKeepsEverySettingButContinualBackprop() {
        assertThat(EVERY_SETTING_SET.withVariant(NetworkSpec.Variant.DENSE)).isEqualTo(new NetworkSpec(5,
                EVERY_SETTING_SET.hidden(), OutputSpec.classification(3), UpdaterSpec.adam(0.02), 17,
                NetworkSpec.Variant.DENSE, 0.25, ContinualBackpropSettings.OFF));
    }

    @Test
    void theMatchedDenseVariantKeepsEverySettingButContinualBackpropAndBuildsItsOwnWidths() {
        NetworkSpec matched = EVERY_SETTING_SET.withVariant(NetworkSpec.Variant.DENSE_MATCHED);

        assertThat(matched).isEqualTo(new NetworkSpec(5, EVERY_SETTING_SET.hidden(), OutputSpec.classification(3),
                UpdaterSpec.adam(0.02), 17, NetworkSpec.Variant.DENSE_MATCHED, 0.25, ContinualBackpropSettings.OFF));
        // Every mechanism off: the plastic layer learns W and b only, so the widths stay.
        assertThat(matched.builtHidden()).isEqualTo(EVERY_SETTING_SET.hidden());
        assertThat(EVERY_SETTING_SET.builtHidden()).isSameAs(EVERY_SETTING_SET.hidden());
    }

    @Test
    void withSizeKeepsEveryOtherLayerSetting() {
        LayerSpec layer = new LayerSpec(4, "tanh", PlasticitySettings.off(), 0.25);

        assertThat(layer.withSize(9)).isEqualTo(new LayerSpec(9, "tanh", PlasticitySettings.off(), 0.25));
    }
}
