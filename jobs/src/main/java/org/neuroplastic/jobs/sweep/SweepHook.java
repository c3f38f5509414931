package org.neuroplastic.jobs.sweep;

/** Called by the sweep between a trial's last staged row and its commit; lets tests stop a sweep there. */
@FunctionalInterface
interface SweepHook {

    SweepHook NONE = trialId -> { };

    void staged(String trialId);
}
