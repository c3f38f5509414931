package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticObjectivesTest {

    @Test
    void braninIsAtItsMinimumAtItsThreeMinimisers() {
        // Surjanovic and Bingham's minimisers; 0.397887 is their value rounded to 6 decimals.
        assertThat(SyntheticObjectives.branin(-Math.PI, 12.275)).isCloseTo(0.397887, within(1e-6));
        assertThat(SyntheticObjectives.branin(Math.PI, 2.275)).isCloseTo(0.397887, within(1e-6));
        assertThat(SyntheticObjectives.branin(9.42478, 2.475)).isCloseTo(0.397887, within(1e-6));
    }

    @Test
    void braninAtTheOriginByHand() {
        // (0 - 0 + 0 - 6)^2 + 10 (1 - 1/(8π)) cos 0 + 10 = 36 + 10 - 10/(8π) + 10.
        assertThat(SyntheticObjectives.branin(0, 0)).isCloseTo(56 - 10 / (8 * Math.PI), within(1e-12));
    }

    @Test
    void hartmann6IsAtItsPublishedMinimumAtItsMinimiser() {
        assertThat(SyntheticObjectives.hartmann6(SyntheticObjectives.HARTMANN6_MINIMISER))
                .isCloseTo(SyntheticObjectives.HARTMANN6_MINIMUM, within(1e-5));
        // Away from it the function is higher, e.g. at the centre of the cube.
        assertThat(SyntheticObjectives.hartmann6(new double[]{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}))
                .isGreaterThan(SyntheticObjectives.HARTMANN6_MINIMUM + 1);
    }

    @Test
    void theObjectivesReadASettingAsTheSweepWritesIt() {
        assertThat(SyntheticObjectives.branin().value(Map.of("x", "3.141592653589793", "y", "2.275")))
                .isCloseTo(0.397887, within(1e-6));
        Map<String, String> minimiser = new LinkedHashMap<>();
        for (int j = 0; j < 6; j++) {
            minimiser.put("x" + j, Double.toString(SyntheticObjectives.HARTMANN6_MINIMISER[j]));
        }
        assertThat(SyntheticObjectives.hartmann6().value(minimiser)).isCloseTo(-3.32237, within(1e-5));
        assertThat(SyntheticObjectives.hartmann6().parameters()).hasSize(6);
    }
}
