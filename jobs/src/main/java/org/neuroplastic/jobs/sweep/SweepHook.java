package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.TrainConfig;

/**
 * Called by the sweep between a trial's last staged row and its commit; lets tests stop a sweep there.
 * The calls before training let tests compare what a trial's trainer is handed with what its runs row
 * records, since a setting lost on the way shows nowhere else: the trial still trains and its row still
 * reads right.
 */
@FunctionalInterface
interface SweepHook {

    SweepHook NONE = trialId -> { };

    void staged(String trialId);

    /** Averaged mode: the train job is about to train {@code config}, once per attempt of the trial. */
    default void trainJobStarts(String trialId, TrainConfig config) {
    }

    /**
     * Parallel mode: a Spark task is about to train {@code work} on the data loaded from {@code data}, once per
     * segment of the trial (one, or one per rung with successive halving).
     */
    default void trialTaskStarts(String trialId, DataSource data, TrialWork work) {
    }
}
