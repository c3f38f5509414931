package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.model.network.ConfigName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's account of the sweep's trials: records a trial that ended, moves its rows into the
 * sweep's tables and rewrites the trials table, in that order, so that the table never names rows that
 * are not there. The table is rewritten at most every {@code publishIntervalNanos} (and when the sweep
 * ends): a trial committed but not yet in the table is merely trained again by a resumed sweep.
 */
final class TrialLedger {

    /**
     * How often ended trials are published. Many small trials end each second; Spark writes per trial
     * would cost more than the trials.
     */
    static final long PUBLISH_INTERVAL_NANOS = 5_000_000_000L;

    private final SweepFolder folder;
    private final TrialsTable table;
    private final String sweepId;
    private final List<Metric> metrics;
    private final Metric metric;
    private final SweepHook hook;
    private final Map<String, TrialRecord> records = new TreeMap<>();
    private long tableWritten = System.nanoTime();


    private final long publishIntervalNanos;

    TrialLedger(SweepFolder folder, TrialsTable table, String sweepId, List<Metric> metrics, SweepHook hook,
                long publishIntervalNanos, Collection<TrialRecord> kept) {
        this.publishIntervalNanos = publishIntervalNanos;
        this.folder = folder;
        this.table = table;
        this.sweepId = sweepId;
        this.metrics = List.copyOf(metrics);
        this.metric = metrics.get(0);
        this.hook = hook;
        kept.forEach(r -> records.put(r.trialId(), r));
    }

    Location staging(String name) {
        return folder.staging(name);
    }

    void discard(Location staging) {
        folder.discard(staging);
    }

    /** Records {@code trial} as ended with {@code status} and publishes its staged rows (run {@code runId}). */
    TrialRecord finish(Trial trial, Location staging, String runId, RunStatus status, String error,
                       List<EpochEvaluation> evaluations, double wallSeconds, String executorId) {
        Double finalMetric = null;
        Double bestMetric = null;
        Integer bestEpoch = null;
        for (EpochEvaluation e : evaluations) {
            Double value = metric.of(e);
            finalMetric = value;
            if (bestEpoch == null || metric.ranking().compare(value, bestMetric) < 0) {
                bestMetric = value;
                bestEpoch = e.epoch();
            }
        }
        Map<String, Double> finalMetrics = new LinkedHashMap<>();
        if (!evaluations.isEmpty()) {
            EpochEvaluation last = evaluations.get(evaluations.size() - 1);
            metrics.forEach(m -> finalMetrics.put(m.column(), m.of(last)));
            // Reported, never selected on: the test figures of a sweep ranked on its validation split.
            finalMetrics.putIfAbsent(ConfigName.of(Metric.Name.TEST_LOSS), last.loss());
            if (last.accuracy() != null) {
                finalMetrics.putIfAbsent(ConfigName.of(Metric.Name.TEST_ACCURACY), last.accuracy());
            }
        }
        int epochsDone = evaluations.isEmpty() ? 0 : evaluations.get(evaluations.size() - 1).epoch();
        TrialRecord record = new TrialRecord(sweepId, trial.trialId(), trial.setting(), trial.replica(),
                trial.parameters(), trial.seed(), trial.dataSeed(), runId, status, error, epochsDone,
                ConfigName.of(metric.name()), finalMetric, bestMetric, bestEpoch, finalMetrics, wallSeconds,
                executorId);
        hook.staged(trial.trialId());
        folder.commit(trial.trialId(), runId, staging);
        records.put(trial.trialId(), record);
        if (System.nanoTime() - tableWritten >= publishIntervalNanos) {
            writeTable();
        }
        return record;
    }

    /**
     * The best of {@code evaluations} by {@code metric}, as the trials table's {@code best_metric} has it; null
     * without evaluations.
     */
    static Double bestMetric(Metric metric, List<EpochEvaluation> evaluations) {
        Double best = null;
        boolean first = true;
        for (EpochEvaluation e : evaluations) {
            Double value = metric.of(e);
            if (first || metric.ranking().compare(value, best) < 0) {
                best = value;
                first = false;
            }
        }
        return best;
    }

    void writeTable() {
        table.write(new ArrayList<>(records.values()), folder.out());
        tableWritten = System.nanoTime();
    }

    long publishIntervalNanos() {
        return publishIntervalNanos;
    }

    String sweepId() {
        return sweepId;
    }

    List<TrialRecord> records() {
        return List.copyOf(records.values());
    }
}
