package org.neuroplastic.jobs.sweep;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a sweep, for the console.
 *
 * @param best the best trial by the sweep's metric (its best epoch), or null if no trial has one
 */
public record SweepSummary(String sweepId, int trials, long ok, long stopped, long failed, long diverged,
                           TrialRecord best) {

    static SweepSummary of(String sweepId, List<TrialRecord> records, Metric metric) {
        TrialRecord best = records.stream().filter(r -> r.bestMetric() != null && !r.bestMetric().isNaN())
                .min((a, b) -> metric.ranking().compare(a.bestMetric(), b.bestMetric())).orElse(null);
        return new SweepSummary(sweepId, records.size(),
                count(records, TrialRecord.OK), count(records, TrialRecord.STOPPED), count(records, TrialRecord.FAILED),
                count(records, TrialRecord.DIVERGED), best);
    }

    private static long count(List<TrialRecord> records, String status) {
        return records.stream().filter(r -> r.status().equals(status)).count();
    }

    /** One line: counts by status and the best trial. */
    public String describe() {
        String line = String.format(Locale.ROOT, "sweep %s: %d trials, %d ok, %d stopped, %d failed", sweepId, trials,
                ok, stopped, failed) + (diverged == 0 ? "" : String.format(Locale.ROOT, ", %d diverged", diverged));
        return best == null ? line : line + String.format(Locale.ROOT, "; best %s %s %.6g at epoch %d (%s)",
                best.trialId(), best.metric(), best.bestMetric(), best.bestEpoch(), best.parameters());
    }
}
