package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.results.RunRecord;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.results.SoftwareVersions;
import org.neuroplastic.model.network.ConfigName;
import org.neuroplastic.model.network.NetworkSpec;

import java.time.Instant;

/** What a run's row of the runs table reports, accumulated epoch by epoch. */
final class RunProgress {
    private final String sparkMaster;
    private final TrainingSettings settings;
    private int epochs;
    private long examplesUsed;
    private long examplesTotal;
    private long overheadNanos;
    private long rounds;
    private double trainLoss = Double.NaN;
    private HeldOutEvaluation test;

    RunProgress(String sparkMaster, TrainingSettings settings, int epochsBefore) {
        this.sparkMaster = sparkMaster;
        this.settings = settings;
        this.epochs = epochsBefore;
    }

    void epochDone(EpochReport report, double lastTrainLoss, HeldOutEvaluation heldOut) {
        epochs++;
        examplesUsed += report.examplesUsed();
        examplesTotal += report.examplesTotal();
        overheadNanos += report.wallNanos() - report.slowestFitNanos();
        rounds += report.rounds();
        trainLoss = lastTrainLoss;
        test = heldOut;
    }

    RunRecord record(String runId, String trialId, Instant started, TrainConfig config, NetworkSpec spec,
                     RunStatus status, String error) {
        return new RunRecord(runId, trialId, status, started, Instant.now(), config.effectiveYaml(), spec.seed(),
                ConfigName.of(settings.averaging()), sparkMaster, SoftwareVersions.current(), epochs,
                examplesTotal == 0 ? null : (double) examplesUsed / examplesTotal,
                rounds == 0 ? null : overheadNanos / 1e6 / rounds,
                Double.isNaN(trainLoss) ? null : trainLoss,
                test == null ? null : test.loss(),
                test == null ? null : test.accuracy(),
                error);
    }
}
