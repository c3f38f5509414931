package org.neuroplastic.jobs.config;

import org.neuroplastic.model.network.ConfigName;
import org.neuroplastic.model.network.ShrinkAndPerturb;

/**
 * How the train job distributes training: the {@code training:} section of a job configuration.
 *
 * @param workers            Spark partitions trained in parallel in each averaging round
 * @param batchSizePerWorker minibatch size each worker fits
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param epochs             passes over the training split
 * @param saveUpdater        whether the updater state (e.g. Adam moments) is averaged and carried
 *                           across rounds, as DL4J's {@code saveUpdater}
 * @param averaging          which parameter-averaging implementation runs the rounds
 * @param trajectories       whether per-step plasticity trajectories are recorded
 * @param consolidation      how earlier tasks of a task sequence are protected (none: naive fine-tuning)
 * @param augmentation       random changes to the training images (none by default)
 * @param diagnosticsEvery   every how many steps worker rows also carry the representation diagnostics of
 *                           Dohare et al. (dead units, effective rank, mean absolute weight); 0: never
 * @param shrinkAndPerturb   what each worker does to its weights and biases after its updates (Ash and Adams
 *                           2020; {@link ShrinkAndPerturb#OFF} by default)
 * @param replay             experience replay of earlier tasks' examples in a task stream (off by default)
 * @param evaluationBatchSize the minibatch of held-out evaluation (test and validation splits): with a layer's
 *                           {@code at_inference} on, the unit its state moves by, since a minibatch's output is
 *                           computed before its own update
 * @param workersPerTask     the workers each round task trains and sends as one sum (resident averaging):
 *                           {@link #WORKERS_PER_TASK_AUTO} for one, or as many as the task slots leave
 *                           when workers outnumber them
 */
public record TrainingSettings(
        int workers,
        int batchSizePerWorker,
        int averagingFrequency,
        int epochs,
        boolean saveUpdater,
        Averaging averaging,
        boolean trajectories,
        ConsolidationSettings consolidation,
        AugmentationSettings augmentation,
        int diagnosticsEvery,
        ShrinkAndPerturb shrinkAndPerturb,
        ReplaySettings replay,
        int evaluationBatchSize,
        int workersPerTask) {

    /**
     * Which parameter averaging runs the rounds: ours keeps networks and data resident on the executors;
     * stock is DL4J's {@code ParameterAveragingTrainingMaster}. (The key was {@code training.master} until
     * the runs table's schema version 2; "master" now means only Spark's.)
     */
    public enum Averaging { RESIDENT, STOCK }

    /** The held-out evaluation's minibatch before {@code training.evaluation_batch_size} could set it. */
    public static final int DEFAULT_EVALUATION_BATCH_SIZE = 1024;

    /** {@code training.workers_per_task: auto}: one worker a task, unless workers outnumber the task slots. */
    public static final int WORKERS_PER_TASK_AUTO = 0;

    /** Each worker is a Spark partition trained in every round; more than this is a typo, not a cluster. */
    public static final int MAX_WORKERS = 10_000;

    public TrainingSettings {
        requirePositive("training.workers", workers);
        if (workers > MAX_WORKERS) {
            throw new IllegalArgumentException("training.workers must be at most " + MAX_WORKERS + ", found " + workers);
        }
        requirePositive("training.batch_size_per_worker", batchSizePerWorker);
        requirePositive("training.averaging_frequency", averagingFrequency);
        requirePositive("training.epochs", epochs);
        if (averaging == null) {
            throw new IllegalArgumentException("training.averaging must be one of resident, stock; found null");
        }
        if (consolidation == null) {
            throw new IllegalArgumentException("training.consolidation must be given; found null");
        }
        if (consolidation.enabled() && averaging == Averaging.STOCK) {
            // DL4J's master builds its workers' networks itself and gives the driver no per-task hook there.
            throw new IllegalArgumentException("training.consolidation.method " + ConfigName.of(consolidation.method())
                    + " needs training.averaging resident, found stock");
        }
        if (augmentation == null) {
            throw new IllegalArgumentException("training.augmentation must be given; found null");
        }
        if (augmentation.enabled() && averaging == Averaging.STOCK) {
            // DL4J's master fits its workers' minibatches as they are, with no hook to change them.
            throw new IllegalArgumentException("training.augmentation needs training.averaging resident, found stock");
        }
        if (diagnosticsEvery < 0) {
            throw new IllegalArgumentException("training.diagnostics_every must be >= 0 (0: never), found "
                    + diagnosticsEvery);
        }
        if (diagnosticsEvery > 0 && !trajectories) {
            throw new IllegalArgumentException("training.diagnostics_every " + diagnosticsEvery
                    + " records into the trajectories, which training.trajectories false switches off");
        }
        if (diagnosticsEvery > 0 && averaging == Averaging.STOCK) {
            // DL4J's master records no worker rows, which is where the diagnostics go.
            throw new IllegalArgumentException("training.diagnostics_every needs training.averaging resident, found stock");
        }
        if (shrinkAndPerturb == null) {
            throw new IllegalArgumentException("training.shrink_and_perturb must be given; found null");
        }
        if (shrinkAndPerturb.enabled() && averaging == Averaging.STOCK) {
            // DL4J's master runs its workers' steps itself, with no hook after each update.
            throw new IllegalArgumentException(
                    "training.shrink_and_perturb needs training.averaging resident, found stock");
        }
        if (replay == null) {
            throw new IllegalArgumentException("training.replay must be given; found null");
        }
        if (replay.enabled() && averaging == Averaging.STOCK) {
            // DL4J's master fits its workers' minibatches as they are, with no hook to append replayed examples.
            throw new IllegalArgumentException("training.replay needs training.averaging resident, found stock");
        }
        requirePositive("training.evaluation_batch_size", evaluationBatchSize);
        if (workersPerTask < 0) {
            throw new IllegalArgumentException("training.workers_per_task must be auto or >= 1, found " + workersPerTask);
        }
        if (workersPerTask != WORKERS_PER_TASK_AUTO && averaging == Averaging.STOCK) {
            throw new IllegalArgumentException("training.workers_per_task needs training.averaging resident, found stock");
        }
    }

    /**
     * Resident averaging of {@code workers} workers for {@code epochs} passes, every other setting at the default
     * a configuration file gets when it leaves the key out; change one with the {@code with...} methods.
     */
    public static TrainingSettings resident(int workers, int batchSizePerWorker, int averagingFrequency, int epochs) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, true, Averaging.RESIDENT,
                true, ConsolidationSettings.NONE, AugmentationSettings.NONE, 0, ShrinkAndPerturb.OFF, ReplaySettings.OFF,
                DEFAULT_EVALUATION_BATCH_SIZE, WORKERS_PER_TASK_AUTO);
    }

    /** What {@link #read} gives a {@code training:} section with no keys. */
    private static final TrainingSettings DEFAULTS = resident(2, 32, 10, 5);

    // One with-method a component, each keeping every other component: a setting lost on the way to a trainer
    // trains without it while the runs row still records it (issue 18). TrainingSettingsTest checks them all.

    public TrainingSettings withWorkers(int workers) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withBatchSizePerWorker(int batchSizePerWorker) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withAveragingFrequency(int averagingFrequency) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    /** A sweep's rungs and the benchmarks' runs train the configuration they were given for other epochs. */
    public TrainingSettings withEpochs(int epochs) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withSaveUpdater(boolean saveUpdater) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withAveraging(Averaging averaging) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withTrajectories(boolean trajectories) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withConsolidation(ConsolidationSettings consolidation) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withAugmentation(AugmentationSettings augmentation) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    /** These settings with the representation diagnostics read every {@code steps} steps (0: never). */
    public TrainingSettings withDiagnosticsEvery(int steps) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, steps, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withShrinkAndPerturb(ShrinkAndPerturb shrinkAndPerturb) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    public TrainingSettings withReplay(ReplaySettings replay) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workersPerTask);
    }

    /** These settings with held-out splits evaluated in minibatches of {@code rows}. */
    public TrainingSettings withEvaluationBatchSize(int rows) {
        return new TrainingSettings(workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, rows,
                workersPerTask);
    }

    /** These settings with {@code workers} workers trained by each round task ({@link #WORKERS_PER_TASK_AUTO}: auto). */
    public TrainingSettings withWorkersPerTask(int workers) {
        return new TrainingSettings(this.workers, batchSizePerWorker, averagingFrequency, epochs, saveUpdater, averaging,
                trajectories, consolidation, augmentation, diagnosticsEvery, shrinkAndPerturb, replay, evaluationBatchSize,
                workers);
    }

    /**
     * The workers each round task trains on a cluster of {@code slots} task slots: {@link #workersPerTask} when a
     * number (at most the workers), else 1 while the workers are no more than the slots and
     * {@code ceil(workers / slots)} beyond.
     */
    public int workersPerTaskOn(int slots) {
        if (workersPerTask != WORKERS_PER_TASK_AUTO) {
            return Math.min(workersPerTask, workers);
        }
        int s = Math.max(1, slots);
        return (workers + s - 1) / s;
    }

    /** Reads the {@code training:} section; every key has a default sized for a laptop. */
    public static TrainingSettings read(ConfigSection training) {
        training.refuseRenamed("master", "averaging");
        return training.build(() -> new TrainingSettings(
                training.integer("workers", DEFAULTS.workers),
                training.integer("batch_size_per_worker", DEFAULTS.batchSizePerWorker),
                training.integer("averaging_frequency", DEFAULTS.averagingFrequency),
                training.integer("epochs", DEFAULTS.epochs),
                training.flag("save_updater", DEFAULTS.saveUpdater),
                training.choice("averaging", Averaging.class, DEFAULTS.averaging),
                training.flag("trajectories", DEFAULTS.trajectories),
                ConsolidationSettings.read(training.section("consolidation")),
                AugmentationSettings.read(training.section("augmentation")),
                training.integer("diagnostics_every", DEFAULTS.diagnosticsEvery),
                readShrinkAndPerturb(training.section("shrink_and_perturb")),
                // Read only when written, so that the effective configuration of a run without replay stays as it was.
                training.has("replay") ? ReplaySettings.read(training.section("replay")) : DEFAULTS.replay,
                // Likewise, so that a run from before the key records, and resumes with, the configuration it had.
                training.has("evaluation_batch_size") ? training.integer("evaluation_batch_size")
                        : DEFAULTS.evaluationBatchSize,
                training.has("workers_per_task") ? readWorkersPerTask(training) : DEFAULTS.workersPerTask));
    }

    private static int readWorkersPerTask(ConfigSection training) {
        int workers = training.integerOr("workers_per_task", "auto", WORKERS_PER_TASK_AUTO);
        if (workers == WORKERS_PER_TASK_AUTO && training.raw("workers_per_task").isIntegralNumber()) {
            throw new IllegalArgumentException("training.workers_per_task must be auto or >= 1, found 0");
        }
        return workers;
    }

    private static ShrinkAndPerturb readShrinkAndPerturb(ConfigSection section) {
        double shrink = section.number("shrink", DEFAULTS.shrinkAndPerturb.shrink());
        double noise = section.number("noise", DEFAULTS.shrinkAndPerturb.noise());
        int every = section.integer("every", DEFAULTS.shrinkAndPerturb.every());
        section.rejectUnknownKeys();
        return new ShrinkAndPerturb(shrink, noise, every);
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, found " + value);
        }
    }
}
