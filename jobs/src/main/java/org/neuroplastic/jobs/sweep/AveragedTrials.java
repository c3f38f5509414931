package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.results.SoftwareVersions;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.RunSummary;
import org.neuroplastic.jobs.train.TrainJob;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.ConfigName;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Averaged mode: trials one after another, each trained by the train job itself (parameter averaging
 * over all executors) into the trial's staging folder, whose rows then join the sweep's tables; with
 * successive halving, rung by rung. A trial's trajectory rows, appended epoch by epoch, are compacted into
 * one file per million rows before they join the sweep's table, so that a sweep of many trials is not
 * many small files. The trial's final network is kept as {@code models/<trial_id>.zip}; its per-epoch
 * checkpoints are not.
 */
final class AveragedTrials {

    private final SparkSession spark;
    private final TrialLedger ledger;
    private final PrintStream console;
    private final SweepHook hook;
    private final TrajectoryWriter trajectories;

    AveragedTrials(SparkSession spark, TrialLedger ledger, PrintStream console, SweepHook hook) {
        this.spark = spark;
        this.ledger = ledger;
        this.console = console;
        this.hook = hook;
        this.trajectories = new TrajectoryWriter(spark);
    }

    /**
     * Trains {@code pending}. With successive halving, every trial still in the running is trained up to
     * each rung and the trials not promoted end there as stopped. The train job cannot pause a trial and
     * continue it, so a promoted trial is trained again from its start up to the next rung: training is
     * deterministic for a seed, so its first epochs repeat exactly, and only its last attempt's rows are kept.
     *
     * @param earlierRungMetrics trials finished in an earlier attempt of the sweep: trial id to (epoch to
     *                           metric), so that a resumed sweep's rungs compare the same trials
     */
    void run(List<Trial> pending, SweepConfig config, Map<String, Map<Integer, Double>> earlierRungMetrics) {
        EarlyStop earlyStop = config.earlyStop();
        List<Trial> active = pending;
        if (earlyStop != null) {
            for (int rung : earlyStop.rungEpochs()) {
                Map<Trial, Attempt> reached = new LinkedHashMap<>();
                for (Trial trial : active) {
                    Attempt attempt = train(trial, rung);
                    if (attempt.error() != null) {
                        finish(trial, attempt, attempt.failure());
                    } else {
                        reached.put(trial, attempt);
                    }
                }
                Map<String, Double> atRung = new HashMap<>();
                earlierRungMetrics.forEach((trialId, metrics) -> {
                    if (metrics.containsKey(rung)) {
                        atRung.put(trialId, metrics.get(rung));
                    }
                });
                reached.forEach((trial, attempt) -> atRung.put(trial.trialId(), attempt.metricAt(rung, config.metric())));
                Set<String> promoted = SuccessiveHalving.promoted(atRung, earlyStop, config.metric());
                List<Trial> next = new ArrayList<>();
                reached.forEach((trial, attempt) -> {
                    if (promoted.contains(trial.trialId())) {
                        ledger.discard(attempt.staging());
                        next.add(trial);
                    } else {
                        finish(trial, attempt, RunStatus.STOPPED);
                    }
                });
                console.printf(Locale.ROOT, "rung at epoch %d: %d of %d trials go on%n", rung, promoted.size(), atRung.size());
                active = next;
            }
        }
        for (Trial trial : active) {
            Attempt attempt = train(trial, trial.config().training().epochs());
            finish(trial, attempt, attempt.error() == null ? RunStatus.COMPLETED : attempt.failure());
        }
    }

    /**
     * Trains {@code method: tpe}'s trials that have not ended, in trial order; each trial sees every trial
     * before it ({@link TpeSettings} with lag 1).
     */
    void run(TpeSettings settings) {
        for (int index = 0; index < settings.trialCount(); index++) {
            if (settings.ended(index)) {
                continue;
            }
            Trial trial = settings.trial(index);
            if (trial == null) {
                throw new IllegalStateException("trial " + Trial.id(index) + " waits for a trial that has not run");
            }
            Attempt attempt = train(trial, trial.epochs());
            TrialRecord record = finish(trial, attempt, attempt.error() == null ? RunStatus.COMPLETED : attempt.failure());
            settings.ended(trial, record.status(), record.bestMetric());
        }
    }

    /** One training of {@code trial} from its start for {@code epochs} epochs, into the trial's staging folder. */
    private Attempt train(Trial trial, int epochs) {
        Location staging = ledger.staging(trial.trialId());
        long started = System.nanoTime();
        String runId;
        String error = null;
        boolean diverged = false;
        TrainConfig segment = trial.config().withEpochs(epochs);
        console.printf(Locale.ROOT, "trial %s: %s, %d epochs%n", trial.trialId(), trial.parameters(), epochs);
        hook.trainJobStarts(trial.trialId(), segment);
        try {
            RunSummary summary = TrainJob.run(segment, spark, staging, trial.trialId(), console);
            runId = summary.runId();
            error = summary.divergence();
            diverged = summary.diverged();
        } catch (RuntimeException e) {
            error = TrialFailure.logged("trial " + trial.trialId(), e);
            runId = SweepFolder.stagedRunId(Storage.of(spark), staging);
            if (runId == null) {
                runId = recordUnstartedRun(trial, staging, error);
            }
        }
        return new Attempt(staging, runId, error, diverged, evaluations(staging), (System.nanoTime() - started) / 1e9);
    }

    private TrialRecord finish(Trial trial, Attempt attempt, RunStatus status) {
        if (attempt.runId() != null) {
            trajectories.compact(attempt.staging(), attempt.runId());
        }
        TrialRecord record = ledger.finish(trial, attempt.staging(), attempt.runId(), status, attempt.error(),
                attempt.evaluations(), attempt.wallSeconds(), ResidentAveragingMaster.DRIVER);
        ledger.discard(attempt.staging());
        console.printf(Locale.ROOT, "trial %s %s after %d epochs: %s %s%s%n", record.trialId(), ConfigName.of(record.status()),
                record.epochsCompleted(), record.metric(), record.finalMetric(),
                attempt.error() == null ? "" : " (" + attempt.error() + ")");
        return record;
    }

    /** One training of a trial: where its rows are staged, and how it went. */
    private record Attempt(Location staging, String runId, String error, boolean diverged,
                           List<EpochEvaluation> evaluations, double wallSeconds) {

        /** The trial's status when {@code error} is set. */
        RunStatus failure() {
            return diverged ? RunStatus.DIVERGED : RunStatus.FAILED;
        }

        Double metricAt(int epoch, Metric metric) {
            for (EpochEvaluation e : evaluations) {
                if (e.epoch() == epoch) {
                    return metric.of(e);
                }
            }
            return null;
        }
    }

    /** The runs row of a trial that failed before the train job wrote one (e.g. its data would not load). */
    private String recordUnstartedRun(Trial trial, Location staging, String error) {
        String runId = ParallelTrials.newRunId();
        Instant now = Instant.now();
        new ResultWriter(spark).appendRun(new RunRecord(runId, trial.trialId(), RunStatus.FAILED, now, now,
                trial.config().effectiveYaml(), trial.seed(),
                ConfigName.of(trial.config().training().averaging()), spark.sparkContext().master(),
                SoftwareVersions.current(), 0, null, null, null, null, null, error), staging);
        return runId;
    }

    private List<EpochEvaluation> evaluations(Location staging) {
        Location folder = staging.resolve(ResultWriter.EVALUATIONS);
        List<EpochEvaluation> evaluations = new ArrayList<>();
        try {
            if (!Storage.of(spark).isFolder(folder)) {
                return evaluations;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        Map<Integer, Row> validation = new HashMap<>();
        List<Row> test = new ArrayList<>();
        for (Row row : spark.read().parquet(folder.uri()).orderBy("epoch").collectAsList()) {
            if ("validation".equals(row.getAs("split"))) {
                validation.put(row.getAs("epoch"), row);
            } else {
                test.add(row);
            }
        }
        for (Row row : test) {
            Row held = validation.get(row.<Integer>getAs("epoch"));
            evaluations.add(new EpochEvaluation(row.<Integer>getAs("epoch"), row.<Long>getAs("examples"),
                    row.<Double>getAs("loss"), row.getAs("accuracy"), held == null ? 0 : held.<Long>getAs("examples"),
                    held == null ? null : held.<Double>getAs("loss"),
                    held == null ? null : held.getAs("accuracy")));
        }
        return evaluations;
    }
}
