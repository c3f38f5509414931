package org.neuroplastic.jobs.train;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.results.StandardizationRecord;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The {@code train} job: loads and validates the data, builds the network from its specification, trains
 * it with parameter averaging across the executors, and after every epoch evaluates it on the held-out
 * split, appends that epoch's trajectories and evaluations, and writes a checkpoint (an online stream
 * instead records its online accuracy, by block of tasks: {@link OnlineStream}). Writes under
 * {@code out}: {@code trajectories/}, {@code evaluations/}, {@code runs/}, {@code checkpoints/epoch-N.zip},
 * {@code model.zip} and, with {@code data.standardize}, {@code standardization/} (docs/SCHEMA.md).
 */
public final class TrainJob {

    static final String CHECKPOINTS = "checkpoints";
    static final String MODEL = "model.zip";
    /** The file, relative to the run's folder, that makes a killed run resumable ({@link #resume}). */
    public static final String RESUME_MARKER = CHECKPOINTS + "/" + RunIdentity.FILE;

    private TrainJob() {
    }

    public static RunSummary run(TrainConfig config, SparkSession spark, Location out) {
        return run(config, spark, out, null, System.out);
    }

    /**
     * Runs one training, as the {@code train} job or as one trial of a sweep, with the consolidation
     * between tasks that {@code training.consolidation} names (none: naive fine-tuning).
     *
     * @param trialId the sweep trial, or null outside sweeps
     * @param console where the progress table goes
     */
    public static RunSummary run(TrainConfig config, SparkSession spark, Location out, String trialId, PrintStream console) {
        return run(config, spark, out, trialId, console,
                ConsolidationBoundary.of(config.training().consolidation(), config.network().seed()));
    }

    /**
     * Runs one training; a continual-learning stream's tasks are trained in sequence, {@code boundary}
     * called between them.
     */
    public static RunSummary run(TrainConfig config, SparkSession spark, Location out, String trialId, PrintStream console,
                                 TaskBoundary boundary) {
        Instant started = Instant.now();
        TaskData tasks = DatasetLoader.loadTasks(spark, config.data(), config.network().nIn());
        LoadedDataset data = tasks.data();
        NetworkSpec spec = config.networkFor(data.features(), data.target(), data.source());
        RunIdentity identity = new RunIdentity(newRunId(started), started, config.effectiveYaml());
        Storage storage = Storage.of(spark);
        try (RunLock lock = RunLock.acquire(storage, out.resolve(CHECKPOINTS))) {
            // Before the identity, which makes the run resumable: a resumable run always has its statistics.
            if (data.standardization() != null) {
                new ResultWriter(spark).appendStandardizations(List.of(
                        new StandardizationRecord(identity.runId(), trialId, data.standardization())), out);
            }
            identity.write(storage, out.resolve(CHECKPOINTS));
            return execute(config, tasks, spec, spark, out, trialId, console, identity, Resumption.fresh(), boundary);
        } finally {
            tasks.release();
        }
    }

    /**
     * Continues the killed run whose folder (the staging folder of its {@code --out}) is {@code out}, from
     * its last checkpoint: the same run id, epochs numbered on from the checkpoint's, rows of any epoch after
     * it dropped before training goes on (docs/SCHEMA.md, "Resuming a killed run"). Everything that can be
     * refused (another configuration, a checkpoint that is not a model file) is refused before anything
     * is written.
     */
    public static RunSummary resume(TrainConfig config, SparkSession spark, Location out, PrintStream console) {
        try (RunLock lock = RunLock.acquire(Storage.of(spark), out.resolve(CHECKPOINTS))) {
            return resumeLocked(config, spark, out, console);
        }
    }

    private static RunSummary resumeLocked(TrainConfig config, SparkSession spark, Location out, PrintStream console) {
        Storage storage = Storage.of(spark);
        RunIdentity identity = RunIdentity.read(storage, out.resolve(CHECKPOINTS));
        if (!identity.configuration().equals(config.effectiveYaml())) {
            throw new InvalidInputException("--config differs from the configuration the killed run "
                    + identity.runId() + " started with (" + out.resolve(CHECKPOINTS).resolve(RunIdentity.FILE)
                    + "); resume it with the same configuration and --set overrides");
        }
        Standardization recorded = config.data().standardize()
                ? StandardizationRecord.read(spark, out, identity.runId()) : null;
        TaskData tasks = DatasetLoader.loadTasks(spark, config.data(), config.network().nIn(), recorded);
        LoadedDataset data = tasks.data();
        NetworkSpec spec = config.networkFor(data.features(), data.target(), data.source());
        Resumption resumption = Resumption.fromLastCheckpoint(storage, out.resolve(CHECKPOINTS), spec,
                config.training().epochs() * tasks.phases());
        if (config.training().consolidation().enabled() && resumption.epochsDone() >= config.training().epochs()) {
            throw new InvalidInputException(out.resolve(CHECKPOINTS) + ": run " + identity.runId() + " cannot resume "
                    + "after epoch " + resumption.epochsDone() + ": training.consolidation keeps the earlier tasks' "
                    + "penalty in memory, not in the checkpoint; start the run again");
        }
        if (config.training().consolidation().method() == ConsolidationSettings.Method.SI && resumption.epochsDone() > 0) {
            throw new InvalidInputException(out.resolve(CHECKPOINTS) + ": run " + identity.runId() + " cannot resume "
                    + "after epoch " + resumption.epochsDone() + ": training.consolidation si sums the path integral of "
                    + "the task in training in memory, not in the checkpoint; start the run again");
        }
        resumption.dropRowsAfterCheckpoint(spark, out, identity.runId());
        console.printf(Locale.ROOT, "resuming run %s after epoch %d%n", identity.runId(), resumption.epochsDone());
        try {
            return execute(config, tasks, spec, spark, out, null, console, identity, resumption,
                    ConsolidationBoundary.of(config.training().consolidation(), config.network().seed()));
        } finally {
            tasks.release();
        }
    }

    private static RunSummary execute(TrainConfig config, TaskData tasks, NetworkSpec spec, SparkSession spark,
                                      Location out, String trialId, PrintStream console, RunIdentity identity,
                                      Resumption resumption, TaskBoundary boundary) {
        TrainingSettings settings = config.training();
        LoadedDataset data = tasks.data();
        String runId = identity.runId();
        Instant started = identity.startedAt();
        TrajectoryScope scope = new TrajectoryScope(runId, trialId, 0);
        ResultWriter results = new ResultWriter(spark);
        RunProgress progress = new RunProgress(spark.sparkContext().master(), settings, resumption.epochsDone());
        try {
            RunTraining.train(config, spec, tasks, scope, spark, out, console, progress, boundary, resumption);
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunStatus.COMPLETED, null), out);
        } catch (TrainingDiverged e) {
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunStatus.DIVERGED,
                    e.getMessage()), out);
            console.printf(Locale.ROOT, "run %s diverged: %s%n", runId, e.getMessage());
            return new RunSummary(runId, data.trainRows(), data.testRows(), e.getMessage());
        } catch (RuntimeException e) {
            results.appendRun(progress.record(runId, trialId, started, config, spec, RunStatus.FAILED,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse("")), out);
            throw e;
        }
        return new RunSummary(runId, data.trainRows(), data.testRows(), null);
    }

    private static String newRunId(Instant started) {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(started)
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
