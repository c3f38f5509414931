package org.neuroplastic.model.diagnostics;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RepresentationDiagnosticsTest {

    @Test
    void aUnitIsDeadOnlyWhenItIsZeroForEveryExample() {
        // Unit 0 fires for example 1, unit 1 never fires, unit 2 fires for both, unit 3 never fires.
        var activations = Nd4j.createFromArray(new float[][] {{0, 0, 1, 0}, {2, 0, 3, 0}});
        assertThat(RepresentationDiagnostics.deadUnitFraction(activations)).isEqualTo(0.5);
    }

    @Test
    void orthogonalDirectionsOfEqualStrengthHaveFullEffectiveRank() {
        // Singular values 2, 2, 2: p = 1/3 each, entropy ln 3, erank 3.
        var activations = Nd4j.createFromArray(new float[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}, {0, 0, 0}});
        assertThat(RepresentationDiagnostics.effectiveRank(activations)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void aRepresentationAlongOneDirectionHasEffectiveRankOne() {
        // Every example is a multiple of (1, 2, 3): rank 1, one non-zero singular value.
        var activations = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {2, 4, 6}, {-1, -2, -3}});
        assertThat(RepresentationDiagnostics.effectiveRank(activations)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void unequalSingularValuesGiveTheExponentialOfTheirEntropy() {
        // Singular values 3 and 1: p = (0.75, 0.25), entropy −(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623351446,
        // erank = e^0.5623351446 = 1.7547654.
        var activations = Nd4j.createFromArray(new float[][] {{3, 0}, {0, 1}});
        assertThat(RepresentationDiagnostics.effectiveRank(activations)).isCloseTo(1.7547654, within(1e-6));
    }

    @Test
    void moreUnitsThanExamplesUseTheExamplesGramMatrix() {
        // Two examples over five units, orthogonal with norms 1 and 1: erank 2.
        var activations = Nd4j.createFromArray(new float[][] {{1, 0, 0, 0, 0}, {0, 0, 0, 1, 0}});
        assertThat(RepresentationDiagnostics.effectiveRank(activations)).isCloseTo(2.0, within(1e-9));
        assertThat(RepresentationDiagnostics.deadUnitFraction(activations)).isEqualTo(0.6);
    }

    @Test
    void silentRepresentationHasEffectiveRankZero() {
        assertThat(RepresentationDiagnostics.effectiveRank(Nd4j.zeros(3, 4))).isZero();
    }

    @Test
    void meanAbsoluteWeightAveragesMagnitudes() {
        var weights = Nd4j.createFromArray(new float[][] {{1, -2}, {-3, 4}});
        assertThat(RepresentationDiagnostics.meanAbsoluteWeight(weights)).isEqualTo(2.5);
    }

    @Test
    void refusesAnythingButAMatrix() {
        assertThatThrownBy(() -> RepresentationDiagnostics.effectiveRank(Nd4j.zeros(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("examples x units");
    }
}
