package org.neuroplastic.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One sweep's trials as the race between the two halvings reads them: when each ended, the best metric it
 * reached, and the work it took. Lower metrics are better (the benchmark ranks by a loss).
 *
 * @param start when the sweep started
 * @param end   when it returned
 * @param ends  every trial that reported a metric
 */
record HalvingRace(Instant start, Instant end, List<TrialEnd> ends) {

    /**
     * A trial's end, its best metric over the epochs it trained, and its work: the epochs, its hidden width (what
     * an epoch's cost grows with in these sweeps) and the seconds its tasks spent training it (the trials table's
     * {@code wall_seconds}).
     */
    record TrialEnd(String trialId, Instant ended, double bestMetric, int epochs, int width, double trainingSeconds) {
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

    /** Epochs trained over all trials: what the halving's promotions cost in epochs. */
    long epochsTrained() {
        return ends.stream().mapToLong(TrialEnd::epochs).sum();
    }

    /** Epochs times width over all trials: the promotions' cost in work, each epoch weighed by its trial's width. */
    long widthEpochs() {
        return ends.stream().mapToLong(e -> (long) e.epochs() * e.width()).sum();
    }

    /** Seconds the trials' tasks spent training, summed over trials. */
    double trainingSeconds() {
        return ends.stream().mapToDouble(TrialEnd::trainingSeconds).sum();
    }

    /**
     * The share of the {@code slots} task slots' time over the sweep's wall that went to training trials: what is
     * left is the driver's scheduling, jobs' start and end, and slots idle waiting for a decision.
     */
    double busyFraction(int slots) {
        return trainingSeconds() / (slots * wallSeconds());
    }
}
