package org.neuroplastic.jobs.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code trial_timeout} for parallel mode's segments in flight. A trial's time is the driver's, from each
 * segment's submission to its end, summed over its segments: time spent waiting at a rung or for a free
 * slot does not count, time in Spark's queue does (when {@code parallelism} exceeds the task slots).
 */
final class TrialDeadlines {

    private final long timeoutNanos;
    private final Set<RunningTrial> inFlight = new LinkedHashSet<>();

    /** @param timeoutSeconds the sweep's {@code trial_timeout}, or null for none */
    TrialDeadlines(Double timeoutSeconds) {
        this.timeoutNanos = timeoutSeconds == null ? -1 : (long) Math.min(Long.MAX_VALUE / 4, timeoutSeconds * 1e9);
    }

    /** The sooner of two waits in nanoseconds, a negative one meaning forever. */
    static long sooner(long a, long b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    void submitted(RunningTrial r) {
        r.submittedNanos = System.nanoTime();
        if (timeoutNanos >= 0) {
            inFlight.add(r);
        }
    }

    void ended(RunningTrial r) {
        r.elapsedNanos += System.nanoTime() - r.submittedNanos;
        inFlight.remove(r);
    }

    /** Nanoseconds until the next segment in flight is overdue (0 if one is); negative when none can be. */
    long nanosUntilNext() {
        long now = System.nanoTime();
        long next = -1;
        for (RunningTrial r : inFlight) {
            if (!r.timedOut) {
                next = sooner(next, Math.max(0, deadline(r) - now));
            }
        }
        return next;
    }

    /** The segments in flight past their trial's timeout and not cancelled yet; each is marked timed out. */
    List<RunningTrial> overdue() {
        long now = System.nanoTime();
        List<RunningTrial> overdue = new ArrayList<>();
        for (RunningTrial r : inFlight) {
            if (!r.timedOut && now >= deadline(r)) {
                r.timedOut = true;
                overdue.add(r);
            }
        }
        return overdue;
    }

    private long deadline(RunningTrial r) {
        return r.submittedNanos + timeoutNanos - r.elapsedNanos;
    }
}
