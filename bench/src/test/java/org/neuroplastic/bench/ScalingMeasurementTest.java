package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScalingMeasurementTest {

    private static ScalingMeasurement measured(int workers, long parameters, double overheadMs, double beyondFitsMs) {
        return measured(workers, parameters, true, overheadMs, beyondFitsMs);
    }

    private static ScalingMeasurement measured(int workers, long parameters, boolean grouped, double overheadMs,
                                               double beyondFitsMs) {
        return new ScalingMeasurement(workers, parameters, 1, grouped, overheadMs, 0, 0, 0, beyondFitsMs, 0, 0, 0, 0, 0,
                5, null, null);
    }

    @Test
    void ratiosAreToTheTwoWorkerFiguresOfTheSameParameterCountWithWorkersPerTaskAuto() {
        List<ScalingMeasurement> measured = List.of(measured(2, 500, 50, 40), measured(64, 500, 400, 120),
                measured(64, 500, false, 900, 800),
                measured(2, 2000, 80, 80), measured(8, 2000, 100, 100),
                ScalingMeasurement.unsuccessful(64, 2000, true, "refused", "over the limit"), measured(16, 9000, 10, 10));

        assertThat(ScalingMeasurement.ratioLines(measured)).containsExactly(
                "over_2_workers: workers: 64 parameters: 500 round_overhead: 8.00 overhead_beyond_fits: 3.00",
                "over_2_workers: workers: 8 parameters: 2000 round_overhead: 1.25 overhead_beyond_fits: 1.25");
    }
}
