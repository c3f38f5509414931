package org.neuroplastic.jobs.trajectory;

import org.neuroplastic.jobs.results.OutputName;

import java.io.Serializable;

/**
 * What every trajectory row of one training call shares: the run, the sweep trial and the
 * continual-learning task.
 *
 * @param runId   identifies the run; the trajectories folder is partitioned by it
 * @param trialId the sweep trial, or null outside sweeps
 * @param task    continual-learning task index, 0 outside continual learning
 */
public record TrajectoryScope(String runId, String trialId, int task) implements Serializable {

    public TrajectoryScope {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("run_id must be a non-empty string, found " + (runId == null ? "null" : "\"\""));
        }
        // Both become partition values and file names under --out.
        OutputName.require("run_id", runId);
        if (trialId != null) {
            OutputName.require("trial_id", trialId);
        }
        if (task < 0) {
            throw new IllegalArgumentException("task must be >= 0, found " + task);
        }
    }
}
