package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which plasticity panels are drawn, on hand-made series of two runs. */
class PanelSelectionTest {

    @Test
    void aMechanismThatIsOffInEveryRunIsLeftOutWithTheReason() {
        assertThat(PanelSelection.omission("mask_density", List.of(new double[] {1, 1, 1}, new double[] {1, 1})))
                .contains("mask_density (constant at 1 in every run drawn: no structural plasticity)");
        assertThat(PanelSelection.omission("regrown", List.of(new double[] {0, 0}, new double[] {0})))
                .contains("regrown (constant at 0 in every run drawn: no rewiring)");
        assertThat(PanelSelection.omission("threshold_mean", List.of(new double[] {0, 0, 0})))
                .contains("threshold_mean (constant at 0 in every run drawn: no adaptive threshold)");
    }

    @Test
    void aPanelWithoutValuesIsLeftOut() {
        assertThat(PanelSelection.omission("activity_mean", List.of())).contains("activity_mean (no values in any run drawn)");
        assertThat(PanelSelection.omission("activity_mean", List.of(new double[0], new double[0])))
                .contains("activity_mean (no values in any run drawn)");
    }

    @Test
    void float32RoundingIsNotVariation() {
        // 1 + 1.2e-7 is one float32 step above 1: below the 1e-6 tolerance, so still flat.
        assertThat(PanelSelection.omission("scaling_mean", List.of(new double[] {1, 1 + 1.2e-7, 1 - 1.2e-7}))).isPresent();
        // A large norm: the tolerance scales with the value, 1e-6 * 1000 = 1e-3.
        assertThat(PanelSelection.omission("hebbian_norm", List.of(new double[] {1000, 1000.0005}))).isPresent();
    }

    @Test
    void anyVisibleChangeKeepsThePanel() {
        assertThat(PanelSelection.omission("scaling_mean", List.of(new double[] {1, 1.00001}))).isEmpty();
        assertThat(PanelSelection.omission("regrown", List.of(new double[] {0, 0}, new double[] {0, 4}))).isEmpty();
        // Flat within each run but different between runs: the panel shows a difference, so it stays.
        assertThat(PanelSelection.omission("mask_density", List.of(new double[] {0.5, 0.5}, new double[] {0.25, 0.25}))).isEmpty();
    }

    @Test
    void aMechanismThatIsOnButFlatIsLeftOutWithoutBeingCalledOff() {
        // Rewiring keeps the averaged mask at its configured density: flat, but structural plasticity is on.
        assertThat(PanelSelection.omission("mask_density", List.of(new double[] {0.5, 0.5}, new double[] {0.5})))
                .contains("mask_density (constant at 0.5 in every run drawn)");
    }
}
