package org.neuroplastic.bench;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.Locale;

/**
 * One configuration's figures in the scaling benchmark, or why there are none.
 *
 * @param outcome null when measured, else {@code refused} or {@code failed}
 * @param reason  the one-line reason when not measured
 */
record ScalingMeasurement(int workers, long parameters, double overheadMs, double roundWallMs, double slowestFitMs,
                   double taskMsPerSlot, double driverMs, double taskMsPerWorker, long driverBytesPerRound,
                   double driverPeakHeapMb, int rounds, String outcome, String reason) {

    static ScalingMeasurement unsuccessful(int workers, long parameters, String outcome, String reason) {
        return new ScalingMeasurement(workers, parameters, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, -1, Double.NaN, 0, outcome, InvalidInputException.oneLine(reason));
    }

    boolean succeeded() {
        return outcome == null;
    }

    String line() {
        if (!succeeded()) {
            return String.format(Locale.ROOT, "workers: %d parameters: %d %s: %s", workers, parameters, outcome, reason);
        }
        return String.format(Locale.ROOT, "workers: %d parameters: %d round_overhead_ms: %.1f driver_ms: %.1f "
                + "task_ms_per_slot: %.1f driver_bytes_per_round: %d driver_peak_heap_mb: %.0f round_wall_ms: %.1f "
                + "slowest_fit_ms: %.1f rounds: %d", workers, parameters, overheadMs, driverMs, taskMsPerSlot,
                driverBytesPerRound, driverPeakHeapMb, roundWallMs, slowestFitMs, rounds);
    }
}
