package org.neuroplastic.jobs.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code <out>/trials/} (docs/SCHEMA.md, section "trials").
 *
 * @param parameters  swept key to value as YAML (JSON) text
 * @param runId       the trial's run in trajectories, evaluations and runs; null when it failed before
 *                    its run started
 * @param status      {@link #OK}, {@link #FAILED}, {@link #STOPPED}, {@link #DIVERGED} or {@link #TIMED_OUT}
 * @param error       first line of the failure's message, what diverged where, or the timeout reached; null
 *                    unless failed, diverged or timed out
 * @param epochsDone  epochs trained and evaluated
 * @param finalMetric the metric after the last epoch trained
 * @param bestMetric  the best metric over the epochs trained
 * @param bestEpoch   the epoch (1-based) of {@code bestMetric}
 * @param executorId  the executor that trained it (parallel), or {@code driver} (averaged)
 */
public record TrialRecord(String sweepId, String trialId, int setting, int replica, Map<String, String> parameters,
                          long seed, Long dataSeed, String runId, String status, String error, int epochsDone,
                          String metric, Double finalMetric, Double bestMetric, Integer bestEpoch, double wallSeconds,
                          String executorId) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String STOPPED = "stopped";
    /** Stopped because its loss or state became NaN or infinite; its rows up to that step are kept. */
    public static final String DIVERGED = "diverged";
    /**
     * Stopped by the sweep's {@code trial_timeout}; the rows of its segments that ended (rungs) are kept, the
     * segment cancelled left none. Not finished: {@code --resume} trains it again, as it does a failed trial.
     */
    public static final String TIMED_OUT = "timed_out";

    public TrialRecord {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Whether a resumed sweep keeps this trial rather than training it again (training is deterministic). */
    public boolean finished() {
        return OK.equals(status) || STOPPED.equals(status) || DIVERGED.equals(status);
    }
}
