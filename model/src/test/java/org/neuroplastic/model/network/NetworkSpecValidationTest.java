package org.neuroplastic.model.network;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every invalid network setting is rejected where its record is built, with one line naming the field, what
 * was expected and the value found.
 */
class NetworkSpecValidationTest {

    private static final List<LayerSpec> HIDDEN = List.of(new LayerSpec(4, "relu", PlasticitySettings.off()));

    private static Arguments rejected(String field, String found, ThrowingCallable build) {
        return Arguments.of(field, found, build);
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                rejected("network.n_in", "found 0", () -> new NetworkSpec(0, HIDDEN, OutputSpec.regression(), UpdaterSpec.adam(0.01), 1, NetworkSpec.Variant.PLASTIC)),
                rejected("network.hidden", "found null", () -> new NetworkSpec(3, null, OutputSpec.regression(), UpdaterSpec.adam(0.01), 1, NetworkSpec.Variant.PLASTIC)),
                rejected("network.output", "found null", () -> new NetworkSpec(3, HIDDEN, null, UpdaterSpec.adam(0.01), 1, NetworkSpec.Variant.PLASTIC)),
                rejected("network.updater", "found null", () -> new NetworkSpec(3, HIDDEN, OutputSpec.regression(), null, 1, NetworkSpec.Variant.PLASTIC)),
                rejected("network.variant", "found null", () -> new NetworkSpec(3, HIDDEN, OutputSpec.regression(), UpdaterSpec.adam(0.01), 1, null)),

                rejected("hidden layer size", "found 0", () -> new LayerSpec(0, "relu", PlasticitySettings.off())),
                rejected("hidden layer size", "found -3", () -> new LayerSpec(-3, "relu", PlasticitySettings.off())),
                rejected("hidden layer activation", "found sigmoidal", () -> new LayerSpec(4, "sigmoidal", PlasticitySettings.off())),
                rejected("hidden layer activation", "found null", () -> new LayerSpec(4, null, PlasticitySettings.off())),
                rejected("hidden layer plasticity", "found null", () -> new LayerSpec(4, "relu", null)),

                rejected("output.size", "found 0", () -> new OutputSpec(0, "identity", OutputSpec.Loss.MSE)),
                rejected("output.activation", "found softmaxx", () -> new OutputSpec(3, "softmaxx", OutputSpec.Loss.CROSS_ENTROPY)),
                rejected("output.loss", "found null", () -> new OutputSpec(1, "identity", null)),
                rejected("output.activation", "found identity", () -> new OutputSpec(3, "identity", OutputSpec.Loss.CROSS_ENTROPY)),
                rejected("output.size", "found 1", () -> new OutputSpec(1, "softmax", OutputSpec.Loss.CROSS_ENTROPY)),

                rejected("updater.learning_rate", "found -0.1", () -> UpdaterSpec.adam(-0.1)),
                rejected("updater.learning_rate", "found 0.0", () -> UpdaterSpec.adam(0)),
                rejected("updater.learning_rate", "found NaN", () -> UpdaterSpec.adam(Double.NaN)),
                rejected("updater.name", "found null", () -> new UpdaterSpec(null, 0.01)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidSpecs")
    void invalidSpecIsRejectedWithItsFieldAndValue(String field, String found, ThrowingCallable build) {
        assertThatThrownBy(build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field)
                .hasMessageContaining(found)
                .hasMessageNotContaining("\n");
    }

    @Test
    void activationNamesAreReadCaseInsensitivelyAndStoredCanonically() {
        assertThat(new LayerSpec(4, " TanH ", PlasticitySettings.off()).activation()).isEqualTo("tanh");
        assertThat(new OutputSpec(3, "SOFTMAX", OutputSpec.Loss.CROSS_ENTROPY).activation()).isEqualTo("softmax");
    }
}
