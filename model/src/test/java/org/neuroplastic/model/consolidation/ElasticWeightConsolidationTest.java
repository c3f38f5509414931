package org.neuroplastic.model.consolidation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ElasticWeightConsolidationTest {

    /**
     * Two tasks over three parameters, lambda = 0.5, evaluated at theta = (1, 2, 3):
     * <pre>
     *   task 1: F = (1, 2, 0), theta* = (0, 1, 5)     task 2: F = (3, 0, 0), theta* = (2, 0, 0)
     *   penalty  = 0.5/2 * [1*(1-0)^2 + 2*(2-1)^2 + 0*(3-5)^2 + 3*(1-2)^2 + 0 + 0] = 0.25 * 6 = 1.5
     *   gradient = 0.5 * (1*(1-0) + 3*(1-2), 2*(2-1), 0) = (-1, 1, 0)
     * </pre>
     */
    private static ElasticWeightConsolidation twoTasks() {
        return ElasticWeightConsolidation.start(0.5, 3)
                .remember(new double[] {1, 2, 0}, new double[] {0, 1, 5})
                .remember(new double[] {3, 0, 0}, new double[] {2, 0, 0});
    }

    @Test
    void penaltyIsTheSumOfEachPreviousTasksQuadratic() {
        assertThat(twoTasks().penalty(new double[] {1, 2, 3})).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void gradientPullsEachParameterTowardsItsAnchorsByTheirImportance() {
        assertThat(twoTasks().gradient(new double[] {1, 2, 3})).containsExactly(new double[] {-1, 1, 0}, within(1e-12));
    }

    @Test
    void mergedImportanceAndAnchorAreTheSumAndFisherWeightedMeanOverTasks() {
        ElasticWeightConsolidation ewc = twoTasks();

        assertThat(ewc.tasks()).isEqualTo(2);
        assertThat(ewc.importance()).containsExactly(4, 2, 0);
        // a_0 = (1*0 + 3*2) / 4; parameter 2 has no importance and keeps the latest anchor.
        assertThat(ewc.anchor()).containsExactly(new double[] {1.5, 1, 0}, within(1e-12));
    }

    @Test
    void penaltyIsZeroBeforeAnyTaskAndAtTheOnlyAnchor() {
        double[] anchor = {0.3, -0.7, 2};
        ElasticWeightConsolidation none = ElasticWeightConsolidation.start(10, 3);
        ElasticWeightConsolidation one = none.remember(new double[] {1, 5, 0.2}, anchor);

        assertThat(none.penalty(new double[] {4, 5, 6})).isZero();
        assertThat(one.penalty(anchor)).isCloseTo(0, within(1e-12));
        assertThat(one.gradient(anchor)).containsExactly(new double[] {0, 0, 0}, within(1e-12));
    }

    @Test
    void rememberingATaskLeavesTheEarlierConsolidationUnchanged() {
        ElasticWeightConsolidation first = ElasticWeightConsolidation.start(0.5, 3)
                .remember(new double[] {1, 2, 0}, new double[] {0, 1, 5});
        first.remember(new double[] {3, 0, 0}, new double[] {2, 0, 0});

        assertThat(first.tasks()).isEqualTo(1);
        assertThat(first.importance()).containsExactly(1, 2, 0);
    }

    @Test
    void rejectsANegativeLambdaAndNegativeImportance() {
        assertThatThrownBy(() -> ElasticWeightConsolidation.start(-1, 3))
                .hasMessage("lambda must be a finite number >= 0, found -1.0");
        assertThatThrownBy(() -> ElasticWeightConsolidation.start(1, 2).remember(new double[] {1, -2}, new double[] {0, 0}))
                .hasMessage("importance must be finite and >= 0, found -2.0 at parameter 1");
        assertThatThrownBy(() -> ElasticWeightConsolidation.start(1, 2).remember(new double[] {1}, new double[] {0, 0}))
                .hasMessage("expected 2 importances and anchors, found 1 and 2");
    }
}
