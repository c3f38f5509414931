package org.neuroplastic.jobs.sweep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.neuroplastic.jobs.results.RunStatus;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Parallel mode: every trial is one Spark job of one task, at most {@code parallelism} in flight
 * ({@link TrialSlots}), the next submitted as soon as one ends, on the least busy executor
 * ({@link ExecutorPlacement}). Each distinct data set is written once by
 * the executors into the sweep's folder and read once per executor JVM ({@link TrainingDataFiles}); the
 * files are deleted when the sweep ends. With early stopping, trials run rung by rung: a task trains up to
 * the rung and returns the network's state, which the next rung's task resumes from; synchronous halving
 * runs every trial to a rung before deciding it, asha takes its segments from an {@link AshaSchedule}. With
 * {@code method: tpe} a setting is drawn when its first trial is next and the trials it is drawn from have
 * ended ({@link TpeSettings}); until then the free slot stays free. A segment over the trial's
 * {@code trial_timeout} is cancelled and the trial ends as timed out.
 */
final class ParallelTrials {

    /** The runs table's {@code master} for trials trained inside one task. */
    static final String SINGLE_TASK = "single_task";
    /** How often the task slots are counted again while trials wait for one. */
    private static final long RECOUNT_NANOS = 1_000_000_000L;
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final SweepConfig config;
    private final TrialLedger ledger;
    private final PrintStream console;
    private final SweepHook hook;
    private final TrialPublisher publisher;
    private final ExecutorPlacement<RunningTrial> placement;
    /** {@code method: tpe}'s settings, told of each trial that ends; null for grid and random. */
    private TpeSettings tpe;
    private Instant firstStarted;
    private Instant lastEnded;

    ParallelTrials(SparkSession spark, SweepConfig config, TrialLedger ledger, PrintStream console, SweepHook hook) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.config = config;
        this.ledger = ledger;
        this.console = console;
        this.hook = hook;
        this.publisher = new TrialPublisher(spark, ledger, console);
        this.placement = new ExecutorPlacement<>(spark.sparkContext());
    }

    /**
     * Runs {@code pending} to their end.
     *
     * @param kept               trials that finished in an earlier attempt of the sweep
     * @param earlierRungMetrics their metrics: trial id to (epoch to metric), so that rungs compare the same
     *                           trials as an uninterrupted sweep would
     */
    void run(List<Trial> pending, List<TrialRecord> kept, Map<String, Map<Integer, Double>> earlierRungMetrics) {
        if (pending.isEmpty()) {
            return;
        }
        EarlyStop earlyStop = config.earlyStop();
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (publisher; TrainingDataFiles files = new TrainingDataFiles(spark, ledger.staging("data-" + id))) {
            TrialPreparation preparation = preparation(files);
            if (earlyStop != null && earlyStop.kind() == EarlyStop.Kind.ASHA) {
                AshaSchedule schedule = new AshaSchedule(config.trials(), earlyStop, config.metric(),
                        config.parallelism(), preparation::epochCost);
                AshaTrials asha = new AshaTrials(schedule, preparation, config.metric(), console, kept,
                        earlierRungMetrics);
                runSegment(asha, files);
                List<RunningTrial> stopped = asha.stopped();
                stopped.forEach(r -> finish(r, RunStatus.STOPPED, null));
                console.printf(Locale.ROOT, "asha: %d trials stopped at a rung%n", stopped.size());
            } else {
                List<RunningTrial> active = new ArrayList<>();
                for (Trial trial : pending) {
                    RunningTrial running = preparation.prepare(trial);
                    if (running != null) {
                        active.add(running);
                    }
                }
                for (int rung : earlyStop == null ? List.<Integer>of() : earlyStop.rungEpochs()) {
                    UpcomingTrials.Listed segment = new UpcomingTrials.Listed(active, rung);
                    runSegment(segment, files);
                    active = promote(segment.reached(), rung, earlierRungMetrics);
                }
                runSegment(new UpcomingTrials.Listed(active, null), files);
            }
            publisher.publish();
        }
    }

    /**
     * Runs {@code method: tpe}'s trials that have not ended, in trial order, each setting drawn when the
     * trials it is drawn from have ended ({@link TpeSettings}).
     */
    void run(TpeSettings settings) {
        this.tpe = settings;
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (publisher; TrainingDataFiles files = new TrainingDataFiles(spark, ledger.staging("data-" + id))) {
            runSegment(new UpcomingTrials.Drawn(settings, preparation(files)), files);
            publisher.publish();
        }
    }

    /** When the first trial task was submitted, or null if none was. */
    Instant firstStarted() {
        return firstStarted;
    }

    /** When the last trial task ended, or null if none did. */
    Instant lastEnded() {
        return lastEnded;
    }

    private TrialPreparation preparation(TrainingDataFiles files) {
        return new TrialPreparation(spark, console, files, (r, error) -> finish(r, RunStatus.FAILED, error));
    }

    /** Ends {@code r} with {@code status}; a tpe sweep's later settings may be drawn from it. */
    private void finish(RunningTrial r, RunStatus status, String error) {
        publisher.finish(r, status, error);
        if (tpe != null) {
            tpe.ended(r.trial, status, TrialLedger.bestMetric(config.metric(), r.evaluations));
        }
    }

    /**
     * Trains the segments {@code waiting} hands out, as many at a time as the slots allow; each trial
     * ends, or waits at a rung, as its segment arrives. Ended trials are published in batches, at most
     * every publish interval and when none is in flight.
     */
    private void runSegment(UpcomingTrials waiting, TrainingDataFiles files) {
        TrialDeadlines deadlines = new TrialDeadlines(config.trialTimeout());
        try (TrialSlots<RunningTrial> slots = new TrialSlots<>(sc, config.parallelism())) {
            fill(slots, waiting, files, deadlines);
            while (!waiting.isEmpty() || slots.inFlight() > 0) {
                if (slots.inFlight() == 0) {
                    throw new IllegalStateException("no trial in flight, yet the next trial waits for one to end");
                }
                TrialSlots.Ended<RunningTrial> done = slots.next(TrialDeadlines.sooner(waitNanos(waiting),
                        deadlines.nanosUntilNext()));
                if (done != null) {
                    lastEnded = Instant.now();
                    deadlines.ended(done.key());
                    end(done, waiting);
                }
                for (RunningTrial overdue : deadlines.overdue()) {
                    console.printf(Locale.ROOT, "trial %s over trial_timeout %s s: cancelled%n", overdue.trial.trialId(),
                            config.trialTimeout());
                    slots.cancel(overdue);
                }
                // The freed slot gets its next trial before the driver spends time writing rows.
                fill(slots, waiting, files, deadlines);
                if ((waiting.isEmpty() && slots.inFlight() == 0) || publisher.nanosUntilDue() == 0) {
                    publisher.publishSoon();
                }
            }
        }
    }

    /** Submits waiting trials while there are free slots. */
    private void fill(TrialSlots<RunningTrial> slots, UpcomingTrials waiting, TrainingDataFiles files,
                      TrialDeadlines deadlines) {
        while (slots.free()) {
            RunningTrial next = waiting.next();
            if (next == null) {
                return;
            }
            submit(slots, next, files);
            deadlines.submitted(next);
        }
    }

    /**
     * How long to wait for a trial to end: until the next batch of ended trials is due, and with trials
     * waiting at most {@link #RECOUNT_NANOS}, so that executors that register meanwhile get trials.
     */
    private long waitNanos(UpcomingTrials waiting) {
        long due = publisher.nanosUntilDue();
        if (waiting.isEmpty() || config.parallelism() != null) {
            return due;
        }
        return TrialDeadlines.sooner(due, RECOUNT_NANOS);
    }

    private void submit(TrialSlots<RunningTrial> slots, RunningTrial r, TrainingDataFiles files) {
        TrialWork work = new TrialWork(r.trial.trialId(), r.runId, r.configuration,
                r.trial.config().training().batchSizePerWorker(), r.epochsDone, r.toEpoch, r.lastStep,
                r.trial.seed(), r.trial.config().training().trajectories(),
                r.trial.config().training().diagnosticsEvery(), r.trial.config().training().augmentation(),
                r.trial.config().training().shrinkAndPerturb(), r.trial.config().training().evaluationBatchSize(),
                r.state, r.toEpoch < r.trial.epochs());
        r.state = null;
        hook.trialTaskStarts(r.trial.trialId(), r.data, work);
        TrialTask task = new TrialTask(r.files, files.hadoop(), work);
        firstStarted = firstStarted == null ? Instant.now() : firstStarted;
        // Persisted, not replicated: should an executor be lost, Spark trains the segment again, to the same rows.
        JavaRDD<byte[]> output = placement.seed(r).flatMap(task).persist(StorageLevel.MEMORY_AND_DISK_SER());
        r.segment = output;
        slots.submit(r, "sweep trial " + r.trial.trialId() + " epochs " + r.epochsDone + "-" + work.toEpoch(),
                () -> TrialOutput.content(output.filter(TrialOutput::isProgress).collect().get(0)));
    }

    private void end(TrialSlots.Ended<RunningTrial> done, UpcomingTrials waiting) {
        RunningTrial r = done.key();
        placement.ended(r);
        JavaRDD<byte[]> output = r.segment;
        r.segment = null;
        if (done.failure() != null) {
            // A cancelled task stored no output: the trial keeps the rows of its segments that ended, and no other.
            output.unpersist(false);
            if (r.timedOut) {
                finish(r, RunStatus.TIMED_OUT, String.format(Locale.ROOT,
                        "trial_timeout of %s s reached after %d epochs", config.trialTimeout(), r.epochsDone));
            } else {
                finish(r, RunStatus.FAILED, TrialFailure.logged("trial " + r.trial.trialId(), done.failure()));
            }
            waiting.ended(r);
            return;
        }
        TrialProgress progress = TrialProgress.decode(done.result());
        r.record(progress, output);
        if (progress.error() != null) {
            finish(r, progress.diverged() ? RunStatus.DIVERGED : RunStatus.FAILED, progress.error());
            waiting.ended(r);
        } else if (r.epochsDone < r.trial.epochs()) {
            waiting.reached(r);
        } else {
            finish(r, RunStatus.COMPLETED, null);
            waiting.ended(r);
        }
    }

    /** Synchronous successive halving at {@code rung}: the trials not promoted end as stopped. */
    private List<RunningTrial> promote(List<RunningTrial> active, int rung, Map<String, Map<Integer, Double>> earlier) {
        Map<String, Double> atRung = new HashMap<>();
        earlier.forEach((trialId, metrics) -> {
            if (metrics.containsKey(rung)) {
                atRung.put(trialId, metrics.get(rung));
            }
        });
        for (RunningTrial r : active) {
            EpochEvaluation e = r.evaluations.get(r.evaluations.size() - 1);
            atRung.put(r.trial.trialId(), config.metric().of(e));
        }
        Set<String> promoted = SuccessiveHalving.promoted(atRung, config.earlyStop(), config.metric());
        List<RunningTrial> next = new ArrayList<>();
        for (RunningTrial r : active) {
            if (promoted.contains(r.trial.trialId())) {
                next.add(r);
            } else {
                finish(r, RunStatus.STOPPED, null);
            }
        }
        console.printf(Locale.ROOT, "rung at epoch %d: %d of %d trials go on%n", rung, promoted.size(), atRung.size());
        return next;
    }

    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
