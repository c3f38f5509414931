package org.neuroplastic.jobs.sweep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.results.SoftwareVersions;
import org.neuroplastic.jobs.results.StandardizationRecord;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.train.TrainJob;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.ConfigName;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Parallel mode's ended trials on their way into the sweep's tables: kept until the next batch is
 * published, then written together (three Spark writes per batch rather than per trial) and handed to the
 * ledger. The trajectory rows are written from the executors where the trials' tasks left them, one file
 * per trial (per million rows of the batch); the driver holds only their handles. Batches are written by a driver thread of their own, one at a time, so that the sweep keeps its
 * task slots filled meanwhile; a batch's failure (or a hook's) is rethrown to the sweep by the next call.
 */
final class TrialPublisher implements AutoCloseable {

    /** How soon to look again when a batch is due while the previous one is still being written. */
    private static final long BUSY_NANOS = 50_000_000L;

    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final TrialLedger ledger;
    private final PrintStream console;
    private final TrajectoryWriter trajectories;
    private final ResultWriter results;
    private final List<Ended> ended = new ArrayList<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "sweep-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private Future<?> writing;
    private volatile long published = System.nanoTime();
    private int batches;

    TrialPublisher(SparkSession spark, TrialLedger ledger, PrintStream console) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.ledger = ledger;
        this.console = console;
        this.trajectories = new TrajectoryWriter(spark);
        this.results = new ResultWriter(spark);
    }

    /** A trial that ended and waits to be published. */
    private record Ended(RunningTrial running, RunStatus status, String error, RunRecord run) {
    }

    /**
     * Nanoseconds until the next batch is due, 0 when it is (and no batch is being written); negative when
     * nothing waits.
     */
    long nanosUntilDue() {
        if (ended.isEmpty()) {
            return -1;
        }
        long due = Math.max(0, ledger.publishIntervalNanos() - (System.nanoTime() - published));
        return busy() ? Math.max(due, BUSY_NANOS) : due;
    }

    /** Starts writing the ended trials unless a batch is being written; rethrows an earlier batch's failure. */
    void publishSoon() {
        if (busy() || ended.isEmpty()) {
            return;
        }
        List<Ended> batch = new ArrayList<>(ended);
        ended.clear();
        writing = writer.submit(() -> write(batch));
    }

    /** Writes every ended trial, waiting for the batch being written first. */
    void publish() {
        awaitWriting();
        if (!ended.isEmpty()) {
            List<Ended> batch = new ArrayList<>(ended);
            ended.clear();
            write(batch);
        }
    }

    /** Waits for the batch being written, if any, then ends the writing thread. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean busy() {
        if (writing == null) {
            return false;
        }
        if (!writing.isDone()) {
            return true;
        }
        awaitWriting();
        return false;
    }

    private void awaitWriting() {
        if (writing == null) {
            return;
        }
        Future<?> done = writing;
        writing = null;
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trials were published", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    void finish(RunningTrial r, RunStatus status, String error) {
        EpochEvaluation last = r.evaluations.isEmpty() ? null : r.evaluations.get(r.evaluations.size() - 1);
        ended.add(new Ended(r, status, error, new RunRecord(r.runId, r.trial.trialId(), status, r.started, Instant.now(),
                r.trial.config().effectiveYaml(), r.trial.seed(), ParallelTrials.SINGLE_TASK, spark.sparkContext().master(),
                SoftwareVersions.current(), r.epochsDone, r.epochsDone == 0 ? null : 1.0, null, r.trainLoss,
                last == null ? null : last.loss(), last == null ? null : last.accuracy(), error)));
    }

    /** Writes a batch of trials' rows in one go, then moves each trial's partitions into the sweep's tables. */
    private void write(List<Ended> batch) {
        Location staging = ledger.staging("batch-" + batches++);
        List<JavaRDD<byte[]>> rows = new ArrayList<>();
        long rowCount = 0;
        List<EvaluationRecord> evaluations = new ArrayList<>();
        List<RunRecord> runs = new ArrayList<>();
        List<StandardizationRecord> standardizations = new ArrayList<>();
        for (Ended e : batch) {
            RunningTrial r = e.running();
            if (!r.rows.isEmpty()) {
                rows.add(r.rows.batches(sc));
                rowCount += r.rows.count();
            }
            if (r.standardization != null) {
                standardizations.add(new StandardizationRecord(r.runId, r.trial.trialId(), r.standardization));
            }
            for (EpochEvaluation ev : r.evaluations) {
                evaluations.add(new EvaluationRecord(r.runId, r.trial.trialId(), ev.epoch(), 0, 0, "test", ev.examples(),
                        ev.loss(), ev.accuracy()));
                if (ev.validationLoss() != null) {
                    evaluations.add(new EvaluationRecord(r.runId, r.trial.trialId(), ev.epoch(), 0, 0, "validation",
                            ev.validationExamples(), ev.validationLoss(), ev.validationAccuracy()));
                }
            }
            runs.add(e.run());
        }
        if (!rows.isEmpty()) {
            // Java cannot make an array of JavaRDD<byte[]>, which JavaSparkContext.union's varargs take.
            @SuppressWarnings("unchecked")
            JavaRDD<byte[]>[] all = rows.toArray(JavaRDD[]::new);
            trajectories.append(sc.union(all), TrajectoryWriter.files(rowCount), staging);
        }
        results.appendEvaluations(evaluations, staging);
        results.appendRuns(runs, staging);
        results.appendStandardizations(standardizations, staging);
        for (Ended e : batch) {
            RunningTrial r = e.running();
            TrialRecord record = ledger.finish(r.trial, staging, r.runId, e.status(), e.error(), r.evaluations,
                    r.wallNanos / 1e9, r.executorId);
            console.printf(Locale.ROOT, "trial %s %s after %d epochs on executor %s: %s %s%s%n", record.trialId(),
                    ConfigName.of(record.status()), record.epochsCompleted(), record.executorId(), record.metric(), record.finalMetric(),
                    e.error() == null ? "" : " (" + e.error() + ")");
        }
        ledger.discard(staging);
        for (Ended e : batch) {
            e.running().rows.release();
        }
        published = System.nanoTime();
    }
}
