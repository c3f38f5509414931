package org.neuroplastic.jobs.sweep;

import org.apache.spark.api.java.JavaRDD;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.trajectory.PendingRows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A trial of parallel mode under way, with its rows so far and what its next segment resumes from. */
final class RunningTrial {

    final Trial trial;
    final String runId;
    final Instant started = Instant.now();
    final List<EpochEvaluation> evaluations = new ArrayList<>();
    /** The rows of the trial's ended segments, held on the executors until the trial is written. */
    final PendingRows rows = new PendingRows();
    /** The persisted output of the segment in flight ({@link TrialOutput}), or null. */
    JavaRDD<byte[]> segment;
    String configuration;
    /** The source this trial's data was loaded from: the first trial's that equals its own. */
    DataSource data;
    /** Where the trial's tasks read its data set. */
    TrainingDataFiles.Ref files;
    /** The statistics the trial's data was standardized with, or null. */
    Standardization standardization;
    int epochsDone;
    /** The epoch the segment being submitted trains to. */
    int toEpoch;
    /** An asha sweep's job the segment in flight is ({@link AshaSchedule}); -1 otherwise. */
    int job = -1;
    /** Driver time the trial's segments have taken so far, and when the one in flight was submitted. */
    long elapsedNanos;
    long submittedNanos;
    /** Whether the segment in flight was cancelled for {@code trial_timeout}. */
    boolean timedOut;
    long lastStep;
    byte[] state;
    Double trainLoss;
    String executorId;
    long wallNanos;

    RunningTrial(Trial trial, String runId) {
        this.trial = trial;
        this.runId = runId;
    }

    /**
     * Keeps an ended segment's evaluations and the trial's state for the next segment, and the segment's
     * rows where they are: in {@code output}, the segment task's persisted output.
     */
    void record(TrialProgress progress, JavaRDD<byte[]> output) {
        if (progress.rows() > 0) {
            rows.addCached(output, output.filter(TrialOutput::isRows).map(TrialOutput::content), progress.rows());
        } else {
            output.unpersist(false);
        }
        evaluations.addAll(progress.evaluations());
        epochsDone = progress.epochsDone();
        lastStep = progress.lastStep();
        state = progress.state();
        trainLoss = progress.finalTrainLoss() != null ? progress.finalTrainLoss() : trainLoss;
        executorId = progress.executorId();
        wallNanos += progress.wallNanos();
    }
}
