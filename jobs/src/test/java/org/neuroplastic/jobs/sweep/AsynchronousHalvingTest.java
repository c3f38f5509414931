package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ASHA's promotion rule (Li et al. 2020, Algorithm 2) on hand-made sequences of rung results. */
class AsynchronousHalvingTest {

    private static final Metric LOSS = new Metric(Metric.Name.TEST_LOSS, Metric.Goal.MINIMIZE);
    private static final Metric ACCURACY = new Metric(Metric.Name.TEST_ACCURACY, Metric.Goal.MAXIMIZE);

    private static AsynchronousHalving halving(int rungs, int eta, Metric metric) {
        return new AsynchronousHalving(new EarlyStop(rungs, eta, 1, EarlyStop.Kind.ASHA), metric);
    }

    private static AsynchronousHalving.Promotion promotion(String trialId, int rung) {
        return new AsynchronousHalving.Promotion(trialId, rung);
    }

    @Test
    void withEtaThreeATrialGoesOnOnceItIsInTheBestThirdOfTheTrialsAtItsRungSoFar() {
        AsynchronousHalving asha = halving(2, 3, LOSS);
        asha.reached("t0", 0, 0.5);
        assertThat(asha.promotion()).as("floor(1/3) = 0: start a new trial").isNull();
        asha.reached("t1", 0, 0.3);
        assertThat(asha.promotion()).as("floor(2/3) = 0").isNull();
        asha.reached("t2", 0, 0.4);
        assertThat(asha.promotion()).as("floor(3/3) = 1: the best of t0, t1, t2").isEqualTo(promotion("t1", 0));
        assertThat(asha.promotion()).as("t1 went on already").isNull();
        asha.reached("t3", 0, 0.9);
        asha.reached("t4", 0, 0.8);
        assertThat(asha.promotion()).as("floor(5/3) = 1, and that one is t1").isNull();
        asha.reached("t5", 0, 0.1);
        assertThat(asha.promotion()).as("floor(6/3) = 2: t5 and t1").isEqualTo(promotion("t5", 0));
        asha.reached("t1", 1, 0.2);
        asha.reached("t5", 1, 0.25);
        assertThat(asha.promotion()).as("floor(2/3) = 0 at rung 1; rung 0's best two went on").isNull();
        assertThat(asha.lastResort()).as("nothing else can run: the best at the highest rung")
                .isEqualTo(promotion("t1", 1));
        assertThat(asha.lastResort()).as("a trial went on from the last rung").isNull();
        assertThat(asha.waiting()).containsExactly("t0", "t2", "t3", "t4", "t5");
    }

    @Test
    void theHighestRungIsCheckedFirst() {
        AsynchronousHalving asha = halving(2, 2, LOSS);
        asha.reached("t0", 0, 1.0);
        asha.reached("t1", 0, 2.0);
        assertThat(asha.promotion()).isEqualTo(promotion("t0", 0));
        asha.reached("t2", 0, 3.0);
        asha.reached("t3", 0, 0.5);
        asha.reached("t0", 1, 0.7);
        asha.reached("t9", 1, 0.6);
        assertThat(asha.promotion()).isEqualTo(promotion("t9", 1));
        assertThat(asha.promotion()).isEqualTo(promotion("t3", 0));
        assertThat(asha.promotion()).isNull();
    }

    @Test
    void rankingFollowsTheGoalMissingMetricsGoLastAndTiesGoByTrialId() {
        AsynchronousHalving accuracy = halving(1, 2, ACCURACY);
        accuracy.reached("t0", 0, 0.2);
        accuracy.reached("t1", 0, 0.9);
        assertThat(accuracy.promotion()).isEqualTo(promotion("t1", 0));

        AsynchronousHalving ties = halving(1, 2, LOSS);
        ties.reached("t3", 0, Double.NaN);
        ties.reached("t2", 0, 1.0);
        ties.reached("t1", 0, 1.0);
        ties.reached("t0", 0, null);
        assertThat(ties.promotion()).isEqualTo(promotion("t1", 0));
        assertThat(ties.promotion()).isEqualTo(promotion("t2", 0));
        assertThat(ties.promotion()).isNull();
    }
}
