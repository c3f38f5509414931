package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.RunSummary;
import org.neuroplastic.jobs.train.TrainJob;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Averaged mode: trials one after another, each trained by the train job itself (parameter averaging
 * over all executors) into the trial's staging folder, whose rows then join the sweep's tables. The
 * trial's final network is kept as {@code models/<trial_id>.zip}; its per-epoch checkpoints are not.
 */
final class AveragedTrials {

    private final SparkSession spark;
    private final TrialLedger ledger;
    private final PrintStream console;

    AveragedTrials(SparkSession spark, TrialLedger ledger, PrintStream console) {
        this.spark = spark;
        this.ledger = ledger;
        this.console = console;
    }

    void run(List<Trial> pending) {
        for (Trial trial : pending) {
            Path staging = ledger.staging(trial.trialId());
            long started = System.nanoTime();
            String runId = null;
            String error = null;
            console.printf(Locale.ROOT, "trial %s: %s%n", trial.trialId(), trial.parameters());
            try {
                RunSummary summary = TrainJob.run(trial.config(), spark, staging, trial.trialId(), console);
                runId = summary.runId();
            } catch (RuntimeException e) {
                error = ParallelTrials.oneLine(e);
                runId = SweepFolder.stagedRunId(staging);
                if (runId == null) {
                    runId = recordUnstartedRun(trial, staging, error);
                }
            }
            TrialRecord record = ledger.finish(trial, staging, runId, error == null ? TrialRecord.OK : TrialRecord.FAILED,
                    error, evaluations(staging), (System.nanoTime() - started) / 1e9, ResidentAveragingMaster.DRIVER);
            ledger.discard(staging);
            console.printf(Locale.ROOT, "trial %s %s after %d epochs: %s %s%s%n", record.trialId(), record.status(),
                    record.epochsDone(), record.metric(), record.finalMetric(), error == null ? "" : " (" + error + ")");
        }
    }

    /** The runs row of a trial that failed before the train job wrote one (e.g. its data would not load). */
    private String recordUnstartedRun(Trial trial, Path staging, String error) {
        String runId = ParallelTrials.newRunId();
        Instant now = Instant.now();
        new ResultWriter(spark).appendRun(new RunRecord(runId, trial.trialId(), RunRecord.FAILED, now, now,
                trial.config().effectiveYaml(), trial.seed(),
                trial.config().training().master().name().toLowerCase(Locale.ROOT), spark.sparkContext().master(),
                TrainJob.versions(), 0, null, null, null, null, null, error), staging);
        return runId;
    }

    private List<EpochEvaluation> evaluations(Path staging) {
        Path folder = staging.resolve(ResultWriter.EVALUATIONS);
        List<EpochEvaluation> evaluations = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return evaluations;
        }
        for (Row row : spark.read().parquet(folder.toString()).orderBy("epoch").collectAsList()) {
            evaluations.add(new EpochEvaluation(row.<Integer>getAs("epoch"), row.<Long>getAs("examples"),
                    row.<Double>getAs("loss"), row.getAs("accuracy")));
        }
        return evaluations;
    }
}
