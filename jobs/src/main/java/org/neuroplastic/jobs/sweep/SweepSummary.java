package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.RunStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a sweep, for the console.
 *
 * @param best   the best trial by the sweep's metric (its best epoch), or null if no trial has one
 * @param timing how long the trials of this attempt took
 */
public record SweepSummary(String sweepId, int trials, long completed, long stopped, long failed, long diverged,
                           long timedOut, TrialRecord best, Timing timing) {

    /**
     * The trials this attempt ran: how many, their {@code wall_seconds} summed, and when the first trial
     * started and the last one ended (parallel mode: its first task submitted, its last task ended;
     * averaged mode: the first train job started, the last one ended); null times when none ran.
     */
    public record Timing(int trialsRun, double summedWallSeconds, Instant firstStarted, Instant lastEnded) {
    }

    static SweepSummary of(String sweepId, List<TrialRecord> records, Metric metric, Timing timing) {
        TrialRecord best = records.stream().filter(r -> r.bestMetric() != null && !r.bestMetric().isNaN())
                .min((a, b) -> metric.ranking().compare(a.bestMetric(), b.bestMetric())).orElse(null);
        return new SweepSummary(sweepId, records.size(),
                count(records, RunStatus.COMPLETED), count(records, RunStatus.STOPPED), count(records, RunStatus.FAILED),
                count(records, RunStatus.DIVERGED), count(records, RunStatus.TIMED_OUT), best, timing);
    }

    private static long count(List<TrialRecord> records, RunStatus status) {
        return records.stream().filter(r -> r.status() == status).count();
    }

    /** One line: counts by status and the best trial. */
    public String describe() {
        String line = String.format(Locale.ROOT, "sweep %s: %d trials, %d completed, %d stopped, %d failed", sweepId, trials,
                completed, stopped, failed) + (diverged == 0 ? "" : String.format(Locale.ROOT, ", %d diverged", diverged))
                + (timedOut == 0 ? "" : String.format(Locale.ROOT, ", %d timed out", timedOut));
        return best == null ? line : line + String.format(Locale.ROOT, "; best %s %s %.6g at epoch %d (%s)",
                best.trialId(), best.metric(), best.bestMetric(), best.bestEpoch(), best.parameters());
    }

    /**
     * {@link #describe()} and how the time from {@code processStart} to {@code now} was spent: trials per
     * minute over all of it, the trials' summed {@code wall_seconds}, and {@code fixed_seconds}, the time
     * outside the trials (process start to the first trial's start, plus the last trial's end to
     * {@code now}).
     */
    public String describe(Instant processStart, Instant now) {
        double wall = seconds(processStart, now);
        String line = describe() + String.format(Locale.ROOT, "; %d trials run in %.1f s (%.1f per minute), summed "
                + "wall_seconds %.1f", timing.trialsRun(), wall, wall > 0 ? 60 * timing.trialsRun() / wall : 0,
                timing.summedWallSeconds());
        if (timing.firstStarted() == null || timing.lastEnded() == null) {
            return line;
        }
        double before = seconds(processStart, timing.firstStarted());
        double after = seconds(timing.lastEnded(), now);
        return line + String.format(Locale.ROOT, ", fixed_seconds %.1f (%.1f before the first trial, %.1f after the last)",
                before + after, before, after);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
