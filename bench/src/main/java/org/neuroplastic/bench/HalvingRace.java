package org.neuroplastic.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One sweep's trials as the race between the two halvings reads them: when each ended and the best metric it
 * reached. Lower metrics are better (the benchmark ranks by a loss).
 *
 * @param start when the sweep started
 * @param end   when it returned
 * @param ends  every trial that reported a metric
 */
record HalvingRace(Instant start, Instant end, List<TrialEnd> ends) {

    /** A trial's end and its best metric over the epochs it trained. */
    record TrialEnd(String trialId, Instant ended, double bestMetric) {
    }

    /** The best metric any trial reached; NaN when none reported one. */
    double best() {
        return ends.stream().mapToDouble(TrialEnd::bestMetric).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    /**
     * Seconds from the start until the first trial that reached {@code target} or better ended; NaN when none
     * did. With {@code target} this sweep's own best, the time until its best trial was found.
     */
    double secondsToReach(double target) {
        return ends.stream().filter(e -> e.bestMetric() <= target)
                .map(TrialEnd::ended).min(Instant::compareTo)
                .map(t -> Duration.between(start, t).toNanos() / 1e9).orElse(Double.NaN);
    }

    double wallSeconds() {
        return Duration.between(start, end).toNanos() / 1e9;
    }

    /** Trials that ended (completed or stopped at a rung) per minute of the sweep's wall time. */
    double trialsPerMinute() {
        return ends.size() / (wallSeconds() / 60);
    }
}
