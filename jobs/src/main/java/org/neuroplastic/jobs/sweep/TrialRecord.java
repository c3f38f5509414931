package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.RunStatus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code <out>/trials/} (docs/SCHEMA.md, section "trials").
 *
 * @param parameters  swept key to value as YAML (JSON) text
 * @param runId       the trial's run in trajectories, evaluations and runs; null when it failed before
 *                    its run started
 * @param status      how it ended
 * @param error       first line of the failure's message, what diverged where, or the timeout reached; null
 *                    unless failed, diverged or timed out
 * @param epochsCompleted epochs trained and evaluated
 * @param finalMetric the metric after the last epoch trained
 * @param bestMetric  the best metric over the epochs trained
 * @param bestEpoch   the epoch (1-based) of {@code bestMetric}
 * @param finalMetrics every metric of the sweep (the first included) after the last epoch trained, by name;
 *                    empty without evaluations, a value null where the evaluation has none
 * @param executorId  the executor that trained it (parallel), or {@code driver} (averaged)
 */
public record TrialRecord(String sweepId, String trialId, int setting, int replica, Map<String, String> parameters,
                          long seed, Long dataSeed, String runId, RunStatus status, String error, int epochsCompleted,
                          String metric, Double finalMetric, Double bestMetric, Integer bestEpoch,
                          Map<String, Double> finalMetrics, double wallSeconds, String executorId) {

    public TrialRecord {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
    }

}
