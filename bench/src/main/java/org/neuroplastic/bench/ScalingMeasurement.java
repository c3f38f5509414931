package org.neuroplastic.bench;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration's figures in the scaling benchmark, or why there are none.
 *
 * @param fitMsPerSlot        the workers' summed time inside fit over the task slots: with more workers than slots
 *                            the fits run in waves, and this is the fitting on a round's path that the slowest
 *                            worker's fit undercounts
 * @param overheadBeyondFitsMs round wall time minus the larger of the slowest fit and {@code fitMsPerSlot}
 * @param workersPerTask      the workers each round task trained ({@code training.workers_per_task} as measured)
 * @param grouped             whether {@code workers_per_task} was {@code auto}, what a job gets; else 1 was forced,
 *                            a task per worker as on a cluster of one single-core executor per worker
 * @param outcome null when measured, else {@code refused} or {@code failed}
 * @param reason  the one-line reason when not measured
 */
record ScalingMeasurement(int workers, long parameters, int workersPerTask, boolean grouped, double overheadMs,
                          double roundWallMs, double slowestFitMs, double fitMsPerSlot, double overheadBeyondFitsMs,
                          double taskMsPerSlot, double driverMs, double taskMsPerWorker, long driverBytesPerRound,
                          double driverPeakHeapMb, int rounds, String outcome, String reason) {

    static ScalingMeasurement unsuccessful(int workers, long parameters, boolean grouped, String outcome,
                                           String reason) {
        return new ScalingMeasurement(workers, parameters, 0, grouped, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, Double.NaN, 0, outcome,
                InvalidInputException.oneLine(reason));
    }

    boolean succeeded() {
        return outcome == null;
    }

    String line() {
        if (!succeeded()) {
            return String.format(Locale.ROOT, "workers: %d parameters: %d workers_per_task: %s %s: %s", workers,
                    parameters, grouped ? "auto" : "1 (set)", outcome, reason);
        }
        return String.format(Locale.ROOT, "workers: %d parameters: %d workers_per_task: %s round_overhead_ms: %.1f "
                + "driver_ms: %.1f "
                + "task_ms_per_slot: %.1f driver_bytes_per_round: %d driver_peak_heap_mb: %.0f round_wall_ms: %.1f "
                + "slowest_fit_ms: %.1f fit_ms_per_slot: %.1f overhead_beyond_fits_ms: %.1f rounds: %d", workers,
                parameters, workersPerTask + (grouped ? " (auto)" : " (set)"), overheadMs, driverMs, taskMsPerSlot, driverBytesPerRound, driverPeakHeapMb, roundWallMs,
                slowestFitMs, fitMsPerSlot, overheadBeyondFitsMs, rounds);
    }

    /**
     * For each parameter count measured with 2 workers, every other worker count's round overhead and overhead
     * beyond the fits over those of 2 workers, with {@code workers_per_task} auto (what a job gets): the goals'
     * ratios, as this run measured them.
     */
    static List<String> ratioLines(List<ScalingMeasurement> measured) {
        List<String> lines = new ArrayList<>();
        for (ScalingMeasurement two : measured) {
            if (two.workers() != 2 || !two.succeeded() || !two.grouped()) {
                continue;
            }
            for (ScalingMeasurement m : measured) {
                if (m.parameters() == two.parameters() && m.workers() != 2 && m.succeeded() && m.grouped()) {
                    lines.add(String.format(Locale.ROOT, "over_2_workers: workers: %d parameters: %d "
                            + "round_overhead: %.2f overhead_beyond_fits: %.2f", m.workers(), m.parameters(),
                            m.overheadMs() / two.overheadMs(), m.overheadBeyondFitsMs() / two.overheadBeyondFitsMs()));
                }
            }
        }
        return lines;
    }
}
