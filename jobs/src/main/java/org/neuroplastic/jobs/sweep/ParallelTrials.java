package org.neuroplastic.jobs.sweep;

import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.results.StandardizationRecord;
import org.neuroplastic.jobs.train.TrainJob;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.ToIntFunction;

/**
 * Parallel mode: every trial is one Spark job of one task, all submitted at once, so the scheduler runs
 * as many trials at a time as the executors have cores. Each distinct data set is loaded and encoded
 * once on the driver and broadcast once; the broadcasts are destroyed when the sweep ends. With early
 * stopping, trials run rung by rung: a task trains up to the rung and returns the network's state,
 * which the next rung's task resumes from.
 */
final class ParallelTrials {

    /** The runs table's {@code master} for trials trained inside one task. */
    static final String SINGLE_TASK = "single_task";
    private static final long POLL_MILLIS = 20;
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final SweepConfig config;
    private final TrialLedger ledger;
    private final PrintStream console;
    private final SweepHook hook;
    private final TrajectoryWriter trajectories;
    private final ResultWriter results;
    private final List<Ended> ended = new ArrayList<>();
    private long published = System.nanoTime();
    private int batches;

    ParallelTrials(SparkSession spark, SweepConfig config, TrialLedger ledger, PrintStream console, SweepHook hook) {
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.config = config;
        this.ledger = ledger;
        this.console = console;
        this.hook = hook;
        this.trajectories = new TrajectoryWriter(spark);
        this.results = new ResultWriter(spark);
    }

    /** A trial under way, with its rows so far. */
    private static final class Running {
        final Trial trial;
        final String runId;
        final Instant started = Instant.now();
        final List<EpochEvaluation> evaluations = new ArrayList<>();
        final List<TrajectoryRecord> trajectory = new ArrayList<>();
        String configuration;
        /** The source this trial's broadcast was loaded from: the first trial's that equals its own. */
        DataSource data;
        /** The statistics the trial's data was standardized with, or null. */
        Standardization standardization;
        int dataIndex;
        int epochsDone;
        long lastStep;
        byte[] state;
        Double trainLoss;
        String executorId;
        long wallNanos;

        Running(Trial trial, String runId) {
            this.trial = trial;
            this.runId = runId;
        }
    }

    /** A trial that ended and waits to be published. */
    private record Ended(Running running, String status, String error, RunRecord run) {
    }

    /**
     * Runs {@code pending} to their end.
     *
     * @param earlierRungMetrics for trials that finished in an earlier attempt of the sweep: trial id to
     *                           (epoch to metric), so that rungs compare the same trials as an
     *                           uninterrupted sweep would
     */
    void run(List<Trial> pending, Map<String, Map<Integer, Double>> earlierRungMetrics) {
        List<Broadcast<byte[]>> broadcasts = new ArrayList<>();
        try {
            List<Running> active = prepare(pending, broadcasts);
            if (config.earlyStop() != null) {
                for (int rung : config.earlyStop().rungEpochs()) {
                    active = runSegment(active, r -> rung, true, broadcasts);
                    active = promote(active, rung, earlierRungMetrics);
                }
            }
            runSegment(active, r -> r.trial.epochs(), false, broadcasts);
            publish();
        } finally {
            for (Broadcast<byte[]> broadcast : broadcasts) {
                broadcast.destroy();
            }
        }
    }

    /** Loads each distinct data set once; trials whose data or network cannot be built fail here. */
    private List<Running> prepare(List<Trial> pending, List<Broadcast<byte[]>> broadcasts) {
        Map<DataSource, Integer> loaded = new HashMap<>();
        Map<Integer, DataSource> loadedFrom = new HashMap<>();
        Map<DataSource, LoadedDataset> datasets = new HashMap<>();
        Map<DataSource, String> unloadable = new HashMap<>();
        List<Running> active = new ArrayList<>();
        for (Trial trial : pending) {
            DataSource source = trial.config().data();
            Running running = new Running(trial, newRunId());
            if (!loaded.containsKey(source) && !unloadable.containsKey(source)) {
                try {
                    LoadedDataset dataset = DatasetLoader.load(spark, source, NetworkConfig.INFERRED);
                    broadcasts.add(sc.broadcast(TrainingData.encode(dataset)));
                    loaded.put(source, broadcasts.size() - 1);
                    loadedFrom.put(broadcasts.size() - 1, source);
                    datasets.put(source, dataset);
                } catch (RuntimeException e) {
                    unloadable.put(source, oneLine(e));
                }
            }
            if (unloadable.containsKey(source)) {
                finish(running, TrialRecord.FAILED, unloadable.get(source));
                continue;
            }
            LoadedDataset dataset = datasets.get(source);
            NetworkConfig network = trial.config().network();
            if (!network.nInInferred() && network.nIn() != dataset.features()) {
                finish(running, TrialRecord.FAILED, "network.n_in is " + network.nIn() + " but " + dataset.source()
                        + " has " + dataset.features() + " features per row");
                continue;
            }
            try {
                NetworkSpec spec = trial.config().networkFor(dataset.features(), dataset.target(), dataset.source());
                running.configuration = NetworkFactory.configuration(spec, NetworkFactory.Rewiring.BY_LAYER,
                        DataType.FLOAT).toJson();
            } catch (RuntimeException e) {
                finish(running, TrialRecord.FAILED, oneLine(e));
                continue;
            }
            running.standardization = dataset.standardization();
            running.dataIndex = loaded.get(source);
            running.data = loadedFrom.get(running.dataIndex);
            active.add(running);
        }
        return active;
    }

    /**
     * Trains every trial of {@code active} up to its {@code until} epoch. Before a rung
     * ({@code toRung}) returns the trials that did not fail; otherwise each trial ends as it arrives.
     */
    private List<Running> runSegment(List<Running> active, ToIntFunction<Running> until, boolean toRung,
                                     List<Broadcast<byte[]>> data) {
        Map<JavaFutureAction<List<byte[]>>, Running> inFlight = new LinkedHashMap<>();
        for (Running r : active) {
            TrialWork work = new TrialWork(r.trial.trialId(), r.runId, r.configuration,
                    r.trial.config().training().batchSizePerWorker(), r.epochsDone, until.applyAsInt(r), r.lastStep,
                    r.trial.seed(), r.trial.config().training().trajectories(), r.trial.config().training().augmentation(),
                    r.state, toRung);
            r.state = null;
            hook.trialTaskStarts(r.trial.trialId(), r.data, work);
            sc.setJobDescription("sweep trial " + r.trial.trialId() + " epochs " + r.epochsDone + "-" + work.toEpoch());
            TrialTask task = new TrialTask(data.get(r.dataIndex), work);
            inFlight.put(sc.parallelize(List.of(0), 1).map(task).collectAsync(), r);
        }
        List<Running> survivors = new ArrayList<>();
        while (!inFlight.isEmpty()) {
            List<JavaFutureAction<List<byte[]>>> done = inFlight.keySet().stream().filter(JavaFutureAction::isDone).toList();
            if (done.isEmpty()) {
                sleep();
                continue;
            }
            for (JavaFutureAction<List<byte[]>> future : done) {
                Running r = inFlight.remove(future);
                TrialProgress progress;
                try {
                    progress = TrialProgress.decode(future.get().get(0));
                } catch (ExecutionException e) {
                    finish(r, TrialRecord.FAILED, oneLine(e.getCause() == null ? e : e.getCause()));
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while trial " + r.trial.trialId() + " ran", e);
                }
                record(r, progress);
                if (progress.error() != null) {
                    finish(r, progress.diverged() ? TrialRecord.DIVERGED : TrialRecord.FAILED, progress.error());
                } else if (toRung) {
                    survivors.add(r);
                } else {
                    finish(r, TrialRecord.OK, null);
                }
            }
            // Ended trials go out together, three Spark writes per batch rather than per trial.
            if (inFlight.isEmpty() || System.nanoTime() - published >= ledger.publishIntervalNanos()) {
                publish();
            }
        }
        survivors.sort((a, b) -> a.trial.trialId().compareTo(b.trial.trialId()));
        return survivors;
    }

    /** Keeps a segment's rows and the trial's state for the next segment. */
    private void record(Running r, TrialProgress progress) {
        r.trajectory.addAll(progress.trajectory());
        r.evaluations.addAll(progress.evaluations());
        r.epochsDone = progress.epochsDone();
        r.lastStep = progress.lastStep();
        r.state = progress.state();
        r.trainLoss = progress.finalTrainLoss() != null ? progress.finalTrainLoss() : r.trainLoss;
        r.executorId = progress.executorId();
        r.wallNanos += progress.wallNanos();
    }

    /** Successive halving at {@code rung}: the trials not promoted end as stopped. */
    private List<Running> promote(List<Running> active, int rung, Map<String, Map<Integer, Double>> earlier) {
        Map<String, Double> atRung = new HashMap<>();
        earlier.forEach((trialId, metrics) -> {
            if (metrics.containsKey(rung)) {
                atRung.put(trialId, metrics.get(rung));
            }
        });
        for (Running r : active) {
            EpochEvaluation e = r.evaluations.get(r.evaluations.size() - 1);
            atRung.put(r.trial.trialId(), config.metric().of(e.loss(), e.accuracy()));
        }
        Set<String> promoted = SuccessiveHalving.promoted(atRung, config.earlyStop(), config.metric());
        List<Running> next = new ArrayList<>();
        for (Running r : active) {
            if (promoted.contains(r.trial.trialId())) {
                next.add(r);
            } else {
                finish(r, TrialRecord.STOPPED, null);
            }
        }
        console.printf(Locale.ROOT, "rung at epoch %d: %d of %d trials go on%n", rung, promoted.size(), atRung.size());
        return next;
    }

    private void finish(Running r, String status, String error) {
        EpochEvaluation last = r.evaluations.isEmpty() ? null : r.evaluations.get(r.evaluations.size() - 1);
        String runStatus = switch (status) {
            case TrialRecord.FAILED -> RunRecord.FAILED;
            case TrialRecord.DIVERGED -> RunRecord.DIVERGED;
            default -> RunRecord.COMPLETED;
        };
        ended.add(new Ended(r, status, error, new RunRecord(r.runId, r.trial.trialId(), runStatus, r.started, Instant.now(),
                r.trial.config().effectiveYaml(), r.trial.seed(), SINGLE_TASK, spark.sparkContext().master(),
                TrainJob.versions(), r.epochsDone, r.epochsDone == 0 ? null : 1.0, null, r.trainLoss,
                last == null ? null : last.loss(), last == null ? null : last.accuracy(), error)));
    }

    /** Writes the ended trials' rows in one batch, then moves each trial's partitions into the sweep's tables. */
    private void publish() {
        if (ended.isEmpty()) {
            return;
        }
        Location staging = ledger.staging("batch-" + batches++);
        List<TrajectoryRecord> rows = new ArrayList<>();
        List<EvaluationRecord> evaluations = new ArrayList<>();
        List<RunRecord> runs = new ArrayList<>();
        List<StandardizationRecord> standardizations = new ArrayList<>();
        for (Ended e : ended) {
            Running r = e.running();
            rows.addAll(r.trajectory);
            if (r.standardization != null) {
                standardizations.add(new StandardizationRecord(r.runId, r.trial.trialId(), r.standardization));
            }
            for (EpochEvaluation ev : r.evaluations) {
                evaluations.add(new EvaluationRecord(r.runId, r.trial.trialId(), ev.epoch(), 0, 0, "test", ev.examples(),
                        ev.loss(), ev.accuracy()));
            }
            runs.add(e.run());
        }
        trajectories.append(rows, staging);
        results.appendEvaluations(evaluations, staging);
        results.appendRuns(runs, staging);
        results.appendStandardizations(standardizations, staging);
        for (Ended e : ended) {
            Running r = e.running();
            TrialRecord record = ledger.finish(r.trial, staging, r.runId, e.status(), e.error(), r.evaluations,
                    r.wallNanos / 1e9, r.executorId);
            console.printf(Locale.ROOT, "trial %s %s after %d epochs on executor %s: %s %s%s%n", record.trialId(),
                    record.status(), record.epochsDone(), record.executorId(), record.metric(), record.finalMetric(),
                    e.error() == null ? "" : " (" + e.error() + ")");
        }
        ended.clear();
        ledger.discard(staging);
        published = System.nanoTime();
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return message.lines().findFirst().orElse(e.getClass().getName());
    }

    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        }
    }
}
