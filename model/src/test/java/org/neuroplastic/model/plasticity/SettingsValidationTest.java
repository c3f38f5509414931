package org.neuroplastic.model.plasticity;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every invalid plasticity setting is rejected where its record is built, with one line naming the field, what
 * was expected and the value found.
 */
class SettingsValidationTest {

    private static final HebbianSettings HEBBIAN = HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.FREE, 0.1);

    private static Arguments rejected(String field, String found, ThrowingCallable build) {
        return Arguments.of(field, found, build);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                rejected("hebbian.eta", "found -0.1", () -> HebbianSettings.on(HebbianRule.OJA, -0.1, PlasticityCoefficient.FREE, 0.1)),
                rejected("hebbian.eta", "found NaN", () -> HebbianSettings.on(HebbianRule.DECAY, Double.NaN, PlasticityCoefficient.FREE, 0.1)),
                rejected("hebbian.eta", "found 1.5", () -> HebbianSettings.on(HebbianRule.DECAY, 1.5, PlasticityCoefficient.FREE, 0.1)),
                // Checked even while the mechanism is off: a switched-off block must still be a valid one.
                rejected("hebbian.eta", "found -1.0", () -> new HebbianSettings(false, HebbianRule.OJA, -1, PlasticityCoefficient.FREE, 0.1)),
                rejected("hebbian.rule", "found null", () -> HebbianSettings.on(null, 0.1, PlasticityCoefficient.FREE, 0.1)),
                rejected("hebbian.alpha", "found null", () -> HebbianSettings.on(HebbianRule.OJA, 0.1, null, 0.1)),
                rejected("hebbian.alpha_init", "found Infinity", () -> HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.FIXED, Double.POSITIVE_INFINITY)),

                rejected("scaling.rate", "found -0.01", () -> ScalingSettings.on(0.5, -0.01, 0.5, 2)),
                rejected("scaling.rate", "found NaN", () -> ScalingSettings.on(0.5, Double.NaN, 0.5, 2)),
                rejected("scaling.target_activity", "found 0.0", () -> ScalingSettings.on(0, 0.1, 0.5, 2)),
                rejected("scaling.target_activity", "found NaN", () -> ScalingSettings.on(Double.NaN, 0.1, 0.5, 2)),
                rejected("scaling.min", "found -0.5", () -> ScalingSettings.on(0.5, 0.1, -0.5, 2)),
                rejected("scaling.max", "found NaN", () -> ScalingSettings.on(0.5, 0.1, 0.5, Double.NaN)),
                rejected("scaling.min and scaling.max", "found min 0.5, max 0.9", () -> ScalingSettings.on(0.5, 0.1, 0.5, 0.9)),
                rejected("scaling.min and scaling.max", "found min 1.2, max 2.0", () -> ScalingSettings.on(0.5, 0.1, 1.2, 2)),

                rejected("structural.density", "found 0.0", () -> StructuralSettings.on(0, 0.1, 10, Regrowth.RANDOM)),
                rejected("structural.density", "found 1.5", () -> StructuralSettings.on(1.5, 0.1, 10, Regrowth.RANDOM)),
                rejected("structural.density", "found -0.2", () -> StructuralSettings.on(-0.2, 0.1, 10, Regrowth.RANDOM)),
                rejected("structural.density", "found NaN", () -> StructuralSettings.on(Double.NaN, 0.1, 10, Regrowth.RANDOM)),
                rejected("structural.zeta", "found 1.0", () -> StructuralSettings.on(0.5, 1.0, 10, Regrowth.RANDOM)),
                rejected("structural.zeta", "found -0.1", () -> StructuralSettings.on(0.5, -0.1, 10, Regrowth.RANDOM)),
                rejected("structural.zeta", "found NaN", () -> StructuralSettings.on(0.5, Double.NaN, 10, Regrowth.RANDOM)),
                rejected("structural.rewire_every", "found 0", () -> StructuralSettings.on(0.5, 0.1, 0, Regrowth.RANDOM)),
                rejected("structural.regrowth", "found null", () -> StructuralSettings.on(0.5, 0.1, 10, null)),

                rejected("adaptation.target_activity", "found 0.0", () -> new AdaptationSettings(true, 0, 0.01, 1)),
                rejected("adaptation.threshold_rate", "found -0.5", () -> new AdaptationSettings(true, 0.5, -0.5, 1)),
                rejected("adaptation.threshold_rate", "found NaN", () -> new AdaptationSettings(true, 0.5, Double.NaN, 1)),
                rejected("adaptation.gain_init", "found NaN", () -> new AdaptationSettings(true, 0.5, 0.01, Double.NaN)),

                rejected("activity_rate", "found -0.1", () -> PlasticitySettings.off().withActivityRate(-0.1)),
                rejected("activity_rate", "found NaN", () -> PlasticitySettings.off().withActivityRate(Double.NaN)),
                rejected("activity_rate", "found 2.0", () -> PlasticitySettings.off().withActivityRate(2)),
                rejected("hebbian", "found null", () -> new PlasticitySettings(null, ScalingSettings.off(), StructuralSettings.off(), AdaptationSettings.off(), 0.1, InferencePlasticity.off())),
                rejected("structural.regrowth", "found hebbian",
                        () -> PlasticitySettings.off().withStructural(StructuralSettings.on(0.5, 0.1, 10, Regrowth.HEBBIAN))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidSettings")
    void invalidSettingIsRejectedWithItsFieldAndValue(String field, String found, ThrowingCallable build) {
        assertThatThrownBy(build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field)
                .hasMessageContaining(found)
                .hasMessageNotContaining("\n");
    }

    @Test
    void hebbianRegrowthIsAcceptedWhenTheTraceExists() {
        PlasticitySettings settings = PlasticitySettings.off().withHebbian(HEBBIAN)
                .withStructural(StructuralSettings.on(0.5, 0.1, 10, Regrowth.HEBBIAN));
        assertThat(settings.structural().regrowth()).isEqualTo(Regrowth.HEBBIAN);
    }
}
