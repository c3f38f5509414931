package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.config.ConfigSection;
import org.neuroplastic.jobs.sweep.SweepConfig.Method;
import org.neuroplastic.jobs.sweep.SweepConfig.Mode;

import static org.neuroplastic.jobs.sweep.SweepConfig.PARALLELISM;
import static org.neuroplastic.jobs.sweep.SweepConfig.SLOTS;
import static org.neuroplastic.jobs.sweep.SweepConfig.TRIAL_TIMEOUT;

/**
 * The sweep file's keys that only parallel mode takes, {@code parallelism} and {@code trial_timeout}: how many
 * trials run at once and for how long, which the cluster's scheduling rather than the study decides (see
 * {@link SweepConfig#sameStudyAs}). Read apart from {@link SweepConfig} so that scheduling changes alone.
 */
final class ParallelTrialKeys {

    private ParallelTrialKeys() {
    }

    /**
     * {@code parallelism}: an integer from 1 to the number of trials, or {@code slots} (the default). Above the
     * task slots the application's settings allow it is refused when the sweep starts ({@link ClusterSlots});
     * above the slots of the moment it is allowed: executors still registering or added by dynamic allocation
     * take the extra trials, which wait in Spark's queue until then. With {@code method: tpe} it must be an
     * integer: it decides which trials each suggestion sees
     * ({@link TpeSettings}), so the cluster's size must not.
     */
    static Integer parallelism(ConfigSection root, Mode mode, Method method, EarlyStop earlyStop,
                                           int trials) {
        if (mode != Mode.PARALLEL) {
            if (root.has(PARALLELISM)) {
                throw root.error(PARALLELISM, "parallelism applies only to mode parallel (averaged trials run one "
                        + "after another, each on all executors)");
            }
            return null;
        }
        boolean written = root.has(PARALLELISM) && root.raw(PARALLELISM) != null
                && root.raw(PARALLELISM).isIntegralNumber();
        int value = root.integerOr(PARALLELISM, SLOTS, 0);
        if (!written) {
            String found = root.has(PARALLELISM) ? SLOTS : "nothing (the default is " + SLOTS + ")";
            if (method == Method.TPE) {
                throw root.error(PARALLELISM, "parallelism must be an integer with method tpe in mode parallel (trial i"
                        + " is drawn from trials 0 to i - parallelism, so it decides the trials), found " + found);
            }
            if (earlyStop != null && earlyStop.kind() == EarlyStop.Kind.ASHA) {
                throw root.error(PARALLELISM, "parallelism must be an integer with early_stop.kind asha (promotions are "
                        + "decided on a schedule of parallelism slots, so it decides them), found " + found);
            }
            return null;
        }
        if (value < 1 || value > trials) {
            throw root.error(PARALLELISM, "parallelism must be between 1 and the sweep's " + trials + " trials (or "
                    + SLOTS + ", the cluster's task slots), found " + value);
        }
        return value;
    }

    /**
     * {@code trial_timeout}: seconds, > 0, parallel mode only. A trial is timed by the driver from the
     * submission of its first task, summed over its segments (rungs), so time spent waiting at a rung or for
     * a free slot does not count.
     */
    static Double trialTimeout(ConfigSection root, Mode mode) {
        if (!root.has(TRIAL_TIMEOUT)) {
            root.raw(TRIAL_TIMEOUT);
            return null;
        }
        if (mode != Mode.PARALLEL) {
            throw root.error(TRIAL_TIMEOUT, "trial_timeout applies only to mode parallel (an averaged trial is the "
                    + "train job on all executors, run to its end)");
        }
        double seconds = root.number(TRIAL_TIMEOUT);
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw root.error(TRIAL_TIMEOUT, "trial_timeout must be a number of seconds > 0, found " + seconds);
        }
        return seconds;
    }
}
