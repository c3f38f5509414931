package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A trial of parallel mode under way, with its rows so far and what its next segment resumes from. */
final class RunningTrial {

    final Trial trial;
    final String runId;
    final Instant started = Instant.now();
    final List<EpochEvaluation> evaluations = new ArrayList<>();
    final List<TrajectoryRecord> trajectory = new ArrayList<>();
    String configuration;
    /** The source this trial's data was loaded from: the first trial's that equals its own. */
    DataSource data;
    /** Where the trial's tasks read its data set. */
    TrainingDataFiles.Ref files;
    /** The statistics the trial's data was standardized with, or null. */
    Standardization standardization;
    int epochsDone;
    long lastStep;
    byte[] state;
    Double trainLoss;
    String executorId;
    long wallNanos;

    RunningTrial(Trial trial, String runId) {
        this.trial = trial;
        this.runId = runId;
    }

    /** Keeps a segment's rows and the trial's state for the next segment. */
    void record(TrialProgress progress) {
        trajectory.addAll(progress.trajectory());
        evaluations.addAll(progress.evaluations());
        epochsDone = progress.epochsDone();
        lastStep = progress.lastStep();
        state = progress.state();
        trainLoss = progress.finalTrainLoss() != null ? progress.finalTrainLoss() : trainLoss;
        executorId = progress.executorId();
        wallNanos += progress.wallNanos();
    }
}
