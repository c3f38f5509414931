package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.model.network.ConfigName;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * The {@code sweep} job: runs every trial of a sweep and writes, under {@code out}, the trials table and
 * every trial's trajectories, evaluations and runs in the train job's layout (partitioned by run id,
 * {@code trial_id} filled), plus {@code config.yaml}, the sweep as applied with its base inlined
 * (docs/SCHEMA.md, section "trials"). The folder is written in place, so a sweep that is killed can be
 * resumed: finished trials (completed, stopped or diverged) are kept, every other trial runs again from the start after
 * its partial rows are removed.
 */
public final class SweepJob {

    /** The effective sweep configuration beside the results; a resumed sweep must match it. */
    public static final String EFFECTIVE_CONFIG = "config.yaml";

    private SweepJob() {
    }

    public static SweepSummary run(SweepConfig config, SparkSession spark, Location out, boolean resume, PrintStream console) {
        return run(config, spark, out, resume, console, SweepHook.NONE, TrialLedger.PUBLISH_INTERVAL_NANOS);
    }

    static SweepSummary run(SweepConfig config, SparkSession spark, Location out, boolean resume, PrintStream console,
                            SweepHook hook, long publishIntervalNanos) {
        ClusterSlots.check(config, spark.sparkContext().getConf());
        Storage storage = Storage.of(spark);
        recordConfiguration(storage, config, out, resume);
        TrialsTable table = new TrialsTable(spark, config.parameters());
        Set<String> trialIds = Set.copyOf(config.trialIds());
        List<TrialRecord> previous = resume ? table.read(out) : List.of();
        List<TrialRecord> kept = previous.stream().filter(r -> r.status().finished())
                .filter(r -> trialIds.contains(r.trialId())).toList();
        SweepFolder folder = new SweepFolder(storage, out);
        folder.discardUnfinished(kept.stream().map(TrialRecord::runId).collect(Collectors.toSet()),
                kept.stream().map(TrialRecord::trialId).collect(Collectors.toSet()));
        String sweepId = previous.isEmpty() ? ParallelTrials.newRunId() : previous.get(0).sweepId();
        TrialLedger ledger = new TrialLedger(folder, table, sweepId, config.metrics(), hook, publishIntervalNanos, kept);
        Set<String> keptIds = kept.stream().map(TrialRecord::trialId).collect(Collectors.toSet());
        List<Trial> pending = config.trials().stream().filter(t -> !keptIds.contains(t.trialId())).toList();
        int toRun = trialIds.size() - keptIds.size();
        TpeSettings drawn = config.method() == SweepConfig.Method.TPE ? new TpeSettings(config, kept) : null;
        console.printf(Locale.ROOT, "sweep %s: %d trials, %d to run%s, %s mode%n", sweepId, trialIds.size(),
                toRun, kept.isEmpty() ? "" : " (" + kept.size() + " finished earlier)",
                ConfigName.of(config.mode()));
        Instant firstStarted;
        Instant lastEnded;
        if (config.mode() == SweepConfig.Mode.PARALLEL) {
            ParallelTrials trials = new ParallelTrials(spark, config, ledger, console, hook);
            if (drawn != null) {
                trials.run(drawn);
            } else {
                trials.run(pending, kept, metricsByEpoch(spark, storage, out, kept, config.metric()));
            }
            firstStarted = trials.firstStarted();
            lastEnded = trials.lastEnded();
        } else {
            Map<String, Map<Integer, Double>> earlier = drawn != null ? Map.of()
                    : metricsByEpoch(spark, storage, out, kept, config.metric());
            firstStarted = Instant.now();
            if (drawn != null) {
                new AveragedTrials(spark, ledger, console, hook).run(drawn);
            } else {
                new AveragedTrials(spark, ledger, console, hook).run(pending, config, earlier);
            }
            lastEnded = Instant.now();
        }
        ledger.writeTable();
        double summedWall = ledger.records().stream().filter(r -> !keptIds.contains(r.trialId()))
                .mapToDouble(TrialRecord::wallSeconds).sum();
        return SweepSummary.of(sweepId, ledger.records(), config.metric(),
                new SweepSummary.Timing(toRun, summedWall, firstStarted, lastEnded));
    }

    private static void recordConfiguration(Storage storage, SweepConfig config, Location out, boolean resume) {
        Location file = out.resolve(EFFECTIVE_CONFIG);
        try {
            if (resume && storage.exists(file) && !config.sameStudyAs(storage.readText(file))) {
                throw new InvalidInputException("--resume: " + file + " holds a different sweep than " + config.file()
                        + "; resume with the same sweep file (and base), or choose another --out");
            }
            storage.writeText(file, config.effectiveYaml());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Trial id to (epoch to metric) for trials finished in an earlier attempt, from the evaluations table. */
    private static Map<String, Map<Integer, Double>> metricsByEpoch(SparkSession spark, Storage storage, Location out,
                                                                    List<TrialRecord> kept, Metric metric) {
        Map<String, Map<Integer, Double>> metrics = new HashMap<>();
        Location evaluations = out.resolve(ResultWriter.EVALUATIONS);
        try {
            if (kept.isEmpty() || !storage.isFolder(evaluations)) {
                return metrics;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + evaluations, e);
        }
        Map<String, String> trialByRun = new HashMap<>();
        kept.forEach(r -> trialByRun.put(r.runId(), r.trialId()));
        List<Row> rows = spark.read().parquet(evaluations.uri())
                .where(col("run_id").isin(trialByRun.keySet().toArray()).and(col("split").equalTo(metric.split())))
                .select("run_id", "epoch", "loss", "accuracy").collectAsList();
        for (Row row : rows) {
            metrics.computeIfAbsent(trialByRun.get(row.<String>getAs("run_id")), k -> new HashMap<>())
                    .put(row.<Integer>getAs("epoch"), metric.of(row.<Double>getAs("loss"), row.getAs("accuracy")));
        }
        return metrics;
    }
}
