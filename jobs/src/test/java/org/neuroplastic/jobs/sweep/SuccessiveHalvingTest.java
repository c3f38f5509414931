package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SuccessiveHalvingTest {

    private static final Metric LOSS = new Metric(Metric.Name.TEST_LOSS, Metric.Goal.MINIMIZE);
    private static final Metric ACCURACY = new Metric(Metric.Name.TEST_ACCURACY, Metric.Goal.MAXIMIZE);

    private static Map<String, Double> metrics(Object... idThenValue) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < idThenValue.length; i += 2) {
            metrics.put((String) idThenValue[i], (Double) idThenValue[i + 1]);
        }
        return metrics;
    }

    @Test
    void rungsAreAtMinEpochsTimesPowersOfTheFactor() {
        assertThat(new EarlyStop(3, 3, 2, EarlyStop.Kind.SYNCHRONOUS).rungEpochs()).containsExactly(2, 6, 18);
        assertThat(new EarlyStop(1, 2, 1, EarlyStop.Kind.SYNCHRONOUS).rungEpochs()).containsExactly(1);
    }

    @Test
    void keepsTheBestFractionByTheMetricsGoal() {
        Map<String, Double> atRung = metrics("t0", 0.9, "t1", 0.2, "t2", 0.5, "t3", 0.1, "t4", 0.7, "t5", 0.3);
        assertThat(SuccessiveHalving.promoted(atRung, new EarlyStop(1, 2, 1, EarlyStop.Kind.SYNCHRONOUS), LOSS)).containsExactlyInAnyOrder("t3", "t1", "t5");
        assertThat(SuccessiveHalving.promoted(atRung, new EarlyStop(1, 3, 1, EarlyStop.Kind.SYNCHRONOUS), LOSS)).containsExactlyInAnyOrder("t3", "t1");
        assertThat(SuccessiveHalving.promoted(atRung, new EarlyStop(1, 2, 1, EarlyStop.Kind.SYNCHRONOUS), ACCURACY)).containsExactlyInAnyOrder("t0", "t4", "t2");
    }

    @Test
    void missingMetricsRankLastTiesGoByTrialIdAndOneTrialAlwaysGoesOn() {
        assertThat(SuccessiveHalving.promoted(metrics("t0", Double.NaN, "t1", null, "t2", 4.0, "t3", 9.0),
                new EarlyStop(1, 2, 1, EarlyStop.Kind.SYNCHRONOUS), LOSS)).containsExactlyInAnyOrder("t2", "t3");
        assertThat(SuccessiveHalving.promoted(metrics("t3", 1.0, "t1", 1.0, "t2", 1.0, "t0", 1.0),
                new EarlyStop(1, 2, 1, EarlyStop.Kind.SYNCHRONOUS), LOSS)).containsExactlyInAnyOrder("t0", "t1");
        assertThat(SuccessiveHalving.promoted(metrics("t0", 1.0), new EarlyStop(1, 4, 1, EarlyStop.Kind.SYNCHRONOUS), LOSS)).containsExactly("t0");
        assertThat(SuccessiveHalving.promoted(metrics("t0", 1.0, "t1", 2.0, "t2", 3.0), new EarlyStop(1, 4, 1, EarlyStop.Kind.SYNCHRONOUS), LOSS))
                .containsExactly("t0");
    }
}
