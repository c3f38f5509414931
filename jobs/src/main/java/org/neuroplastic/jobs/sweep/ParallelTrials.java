package org.neuroplastic.jobs.sweep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * Parallel mode: every trial is one Spark job of one task, at most {@code parallelism} in flight
 * ({@link TrialSlots}), the next submitted as soon as one ends. Each distinct data set is written once by
 * the executors into the sweep's folder and read once per executor JVM ({@link TrainingDataFiles}); the
 * files are deleted when the sweep ends. With early stopping, trials run rung by rung: a task trains up to
 * the rung and returns the network's state, which the next rung's task resumes from. With {@code method:
 * tpe} a setting is drawn when its first trial is next and the trials it is drawn from have ended
 * ({@link TpeSettings}); until then the free slot stays free.
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
    }

    /**
     * Runs {@code pending} to their end.
     *
     * @param earlierRungMetrics for trials that finished in an earlier attempt of the sweep: trial id to
     *                           (epoch to metric), so that rungs compare the same trials as an
     *                           uninterrupted sweep would
     */
    void run(List<Trial> pending, Map<String, Map<Integer, Double>> earlierRungMetrics) {
        if (pending.isEmpty()) {
            return;
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (publisher; TrainingDataFiles files = new TrainingDataFiles(spark, ledger.staging("data-" + id))) {
            Preparation preparation = new Preparation(files);
            List<RunningTrial> active = new ArrayList<>();
            for (Trial trial : pending) {
                RunningTrial running = preparation.prepare(trial);
                if (running != null) {
                    active.add(running);
                }
            }
            if (config.earlyStop() != null) {
                for (int rung : config.earlyStop().rungEpochs()) {
                    active = runSegment(new Listed(active), r -> rung, true, files);
                    active = promote(active, rung, earlierRungMetrics);
                }
            }
            runSegment(new Listed(active), r -> r.trial.epochs(), false, files);
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
            runSegment(new Drawn(settings, new Preparation(files)), r -> r.trial.epochs(), false, files);
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

    /** The trials a segment submits, in trial order. */
    private interface Upcoming {

        /** The next trial, prepared, if it may be submitted now; null if none may (yet). */
        RunningTrial next();

        /** Whether every trial has been handed out. */
        boolean isEmpty();
    }

    /** Trials known and prepared before the segment starts. */
    private static final class Listed implements Upcoming {
        private final Deque<RunningTrial> waiting;

        Listed(List<RunningTrial> trials) {
            this.waiting = new ArrayDeque<>(trials);
        }

        @Override
        public RunningTrial next() {
            return waiting.poll();
        }

        @Override
        public boolean isEmpty() {
            return waiting.isEmpty();
        }
    }

    /** {@code method: tpe}'s trials, each drawn and prepared when it may be; those ended earlier are skipped. */
    private static final class Drawn implements Upcoming {
        private final TpeSettings settings;
        private final Preparation preparation;
        private int index;

        Drawn(TpeSettings settings, Preparation preparation) {
            this.settings = settings;
            this.preparation = preparation;
        }

        @Override
        public RunningTrial next() {
            for (; index < settings.trialCount(); index++) {
                if (settings.ended(index)) {
                    continue;
                }
                Trial trial = settings.trial(index);
                if (trial == null) {
                    return null;
                }
                RunningTrial running = preparation.prepare(trial);
                if (running != null) {
                    index++;
                    return running;
                }
            }
            return null;
        }

        @Override
        public boolean isEmpty() {
            for (; index < settings.trialCount() && settings.ended(index); index++) {
                // Trials kept from an earlier attempt, or failed while prepared, are not handed out.
            }
            return index >= settings.trialCount();
        }
    }

    /**
     * Loads each distinct data set once and writes it for the executors; a trial whose data or network
     * cannot be built ends as failed here.
     */
    private final class Preparation {
        private final TrainingDataFiles files;
        private final Map<DataSource, TrainingDataFiles.Ref> written = new HashMap<>();
        private final Map<DataSource, DataSource> writtenFrom = new HashMap<>();
        private final Map<DataSource, LoadedDataset> datasets = new HashMap<>();
        private final Map<DataSource, String> unloadable = new HashMap<>();

        Preparation(TrainingDataFiles files) {
            this.files = files;
        }

        /** The trial ready to submit, or null when it failed. */
        RunningTrial prepare(Trial trial) {
            DataSource source = trial.config().data();
            RunningTrial running = new RunningTrial(trial, newRunId());
            if (!written.containsKey(source) && !unloadable.containsKey(source)) {
                try {
                    long start = System.nanoTime();
                    LoadedDataset dataset = DatasetLoader.load(spark, source, NetworkConfig.INFERRED);
                    long loaded = System.nanoTime();
                    written.put(source, files.write(dataset));
                    console.printf(Locale.ROOT, "data %s: %d training and %d held-out rows, loaded in %.1f s, written "
                            + "for the executors in %.1f s%n", dataset.source(), dataset.trainRows(), dataset.testRows(),
                            (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9);
                    writtenFrom.put(source, source);
                    datasets.put(source, dataset);
                } catch (RuntimeException e) {
                    unloadable.put(source, oneLine(e));
                }
            }
            if (unloadable.containsKey(source)) {
                finish(running, TrialRecord.FAILED, unloadable.get(source));
                return null;
            }
            LoadedDataset dataset = datasets.get(source);
            NetworkConfig network = trial.config().network();
            if (!network.nInInferred() && network.nIn() != dataset.features()) {
                finish(running, TrialRecord.FAILED, "network.n_in is " + network.nIn() + " but "
                        + dataset.source() + " has " + dataset.features() + " features per row");
                return null;
            }
            try {
                NetworkSpec spec = trial.config().networkFor(dataset.features(), dataset.target(), dataset.source());
                running.configuration = NetworkFactory.configuration(spec, NetworkFactory.Rewiring.BY_LAYER,
                        DataType.FLOAT).toJson();
            } catch (RuntimeException e) {
                finish(running, TrialRecord.FAILED, oneLine(e));
                return null;
            }
            running.standardization = dataset.standardization();
            running.files = written.get(source);
            running.data = writtenFrom.get(source);
            return running;
        }
    }

    /** Ends {@code r} with {@code status}; a tpe sweep's later settings may be drawn from it. */
    private void finish(RunningTrial r, String status, String error) {
        publisher.finish(r, status, error);
        if (tpe != null) {
            tpe.ended(r.trial, status, TrialLedger.bestMetric(config.metric(), r.evaluations));
        }
    }

    /**
     * Trains every trial of {@code active} up to its {@code until} epoch, in trial order, as many at a time
     * as the slots allow. Before a rung ({@code toRung}) returns the trials that did not fail; otherwise
     * each trial ends as it arrives. Ended trials are published in batches, at most every publish interval
     * and when none is in flight.
     */
    private List<RunningTrial> runSegment(Upcoming waiting, ToIntFunction<RunningTrial> until,
                                          boolean toRung, TrainingDataFiles files) {
        List<RunningTrial> survivors = new ArrayList<>();
        try (TrialSlots<RunningTrial> slots = new TrialSlots<>(sc, config.parallelism())) {
            fill(slots, waiting, until, toRung, files);
            while (!waiting.isEmpty() || slots.inFlight() > 0) {
                if (slots.inFlight() == 0) {
                    throw new IllegalStateException("no trial in flight, yet the next trial waits for one to end");
                }
                TrialSlots.Ended<RunningTrial> done = slots.next(waitNanos(waiting));
                if (done != null) {
                    lastEnded = Instant.now();
                    end(done, toRung, survivors);
                }
                // The freed slot gets its next trial before the driver spends time writing rows.
                fill(slots, waiting, until, toRung, files);
                if ((waiting.isEmpty() && slots.inFlight() == 0) || publisher.nanosUntilDue() == 0) {
                    publisher.publishSoon();
                }
            }
        }
        survivors.sort((a, b) -> a.trial.trialId().compareTo(b.trial.trialId()));
        return survivors;
    }

    /** Submits waiting trials while there are free slots. */
    private void fill(TrialSlots<RunningTrial> slots, Upcoming waiting, ToIntFunction<RunningTrial> until,
                      boolean toRung, TrainingDataFiles files) {
        while (slots.free()) {
            RunningTrial next = waiting.next();
            if (next == null) {
                return;
            }
            submit(slots, next, until, toRung, files);
        }
    }

    /**
     * How long to wait for a trial to end: until the next batch of ended trials is due, and with trials
     * waiting at most {@link #RECOUNT_NANOS}, so that executors that register meanwhile get trials.
     */
    private long waitNanos(Upcoming waiting) {
        long due = publisher.nanosUntilDue();
        if (waiting.isEmpty() || config.parallelism() != null) {
            return due;
        }
        return due < 0 ? RECOUNT_NANOS : Math.min(due, RECOUNT_NANOS);
    }

    private void submit(TrialSlots<RunningTrial> slots, RunningTrial r, ToIntFunction<RunningTrial> until,
                        boolean toRung, TrainingDataFiles files) {
        TrialWork work = new TrialWork(r.trial.trialId(), r.runId, r.configuration,
                r.trial.config().training().batchSizePerWorker(), r.epochsDone, until.applyAsInt(r), r.lastStep,
                r.trial.seed(), r.trial.config().training().trajectories(),
                r.trial.config().training().diagnosticsEvery(), r.trial.config().training().augmentation(),
                r.state, toRung);
        r.state = null;
        hook.trialTaskStarts(r.trial.trialId(), r.data, work);
        TrialTask task = new TrialTask(r.files, files.hadoop(), work);
        firstStarted = firstStarted == null ? Instant.now() : firstStarted;
        // Persisted, not replicated: should an executor be lost, Spark trains the segment again, to the same rows.
        JavaRDD<byte[]> output = sc.parallelize(List.of(0), 1).flatMap(task).persist(StorageLevel.MEMORY_AND_DISK_SER());
        r.segment = output;
        slots.submit(r, "sweep trial " + r.trial.trialId() + " epochs " + r.epochsDone + "-" + work.toEpoch(),
                () -> TrialOutput.content(output.filter(TrialOutput::isProgress).collect().get(0)));
    }

    private void end(TrialSlots.Ended<RunningTrial> done, boolean toRung, List<RunningTrial> survivors) {
        RunningTrial r = done.key();
        JavaRDD<byte[]> output = r.segment;
        r.segment = null;
        if (done.failure() != null) {
            output.unpersist(false);
            finish(r, TrialRecord.FAILED, oneLine(done.failure()));
            return;
        }
        TrialProgress progress = TrialProgress.decode(done.result());
        r.record(progress, output);
        if (progress.error() != null) {
            finish(r, progress.diverged() ? TrialRecord.DIVERGED : TrialRecord.FAILED, progress.error());
        } else if (toRung) {
            survivors.add(r);
        } else {
            finish(r, TrialRecord.OK, null);
        }
    }

    /** Successive halving at {@code rung}: the trials not promoted end as stopped. */
    private List<RunningTrial> promote(List<RunningTrial> active, int rung, Map<String, Map<Integer, Double>> earlier) {
        Map<String, Double> atRung = new HashMap<>();
        earlier.forEach((trialId, metrics) -> {
            if (metrics.containsKey(rung)) {
                atRung.put(trialId, metrics.get(rung));
            }
        });
        for (RunningTrial r : active) {
            EpochEvaluation e = r.evaluations.get(r.evaluations.size() - 1);
            atRung.put(r.trial.trialId(), config.metric().of(e.loss(), e.accuracy()));
        }
        Set<String> promoted = SuccessiveHalving.promoted(atRung, config.earlyStop(), config.metric());
        List<RunningTrial> next = new ArrayList<>();
        for (RunningTrial r : active) {
            if (promoted.contains(r.trial.trialId())) {
                next.add(r);
            } else {
                finish(r, TrialRecord.STOPPED, null);
            }
        }
        console.printf(Locale.ROOT, "rung at epoch %d: %d of %d trials go on%n", rung, promoted.size(), atRung.size());
        return next;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return message.lines().findFirst().orElse(e.getClass().getName());
    }

    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
