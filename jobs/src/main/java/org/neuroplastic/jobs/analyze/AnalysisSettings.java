package org.neuroplastic.jobs.analyze;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.util.Optional;

/**
 * What the analyze job reads and how it measures convergence.
 *
 * @param in       the output folder of a train run or a sweep
 * @param fraction share of a run's total held-out loss improvement that {@code epochs_to_fraction} waits
 *                 for, in (0, 1]
 * @param baseline the setting a sweep's other settings are compared with ({@code paired_differences}), if any
 * @param groups   the group and replica of each run of a study ({@code --groups}), if any: the study tables
 *                 ({@link OnlineTables}, {@link ContinualGroupTables}) are made only with it
 */
public record AnalysisSettings(Location in, double fraction, Optional<Baseline> baseline, Optional<StudyGroups> groups) {

    public static final double DEFAULT_FRACTION = 0.9;
    /** Where the results go when the command line names no output folder: {@code <in>/analysis}. */
    public static final String DEFAULT_FOLDER = "analysis";

    public AnalysisSettings {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new InvalidInputException("--fraction must be in (0, 1], found " + fraction);
        }
    }

    /**
     * Checks that {@code in} holds committed results before anything is created: a train run's folder once
     * its job has committed it ({@link CommitMarker}), or a sweep's folder, finished or not (its trials
     * table names the trials committed so far, see {@link AnalysisInputs}).
     */
    public static AnalysisSettings of(Storage storage, Location in, double fraction) {
        return of(storage, in, fraction, Optional.empty(), Optional.empty());
    }

    /** As {@link #of(Storage, Location, double)}, comparing a sweep's settings with {@code baseline}. */
    public static AnalysisSettings of(Storage storage, Location in, double fraction, Optional<Baseline> baseline) {
        return of(storage, in, fraction, baseline, Optional.empty());
    }

    /**
     * As {@link #of(Storage, Location, double)}, comparing a sweep's settings with {@code baseline}, and grouping
     * a study's runs by {@code groups}.
     */
    public static AnalysisSettings of(Storage storage, Location in, double fraction, Optional<Baseline> baseline,
                                      Optional<StudyGroups> groups) {
        AnalysisSettings settings = new AnalysisSettings(in, fraction, baseline, groups);
        try {
            if (!storage.isFolder(in)) {
                throw new InvalidInputException("--in " + in + " is not a folder; expected the output folder of a train run or a sweep");
            }
            if (!storage.isFolder(in.resolve(ResultWriter.RUNS)) && !storage.isFolder(in.resolve(ResultWriter.EVALUATIONS))) {
                throw new InvalidInputException("--in " + in + " holds neither " + ResultWriter.RUNS + "/ nor "
                        + ResultWriter.EVALUATIONS + "/; expected the output folder of a train run or a sweep");
            }
            if (!CommitMarker.isCommitted(storage, in) && !storage.isFolder(in.resolve(AnalysisInputs.TRIALS))) {
                throw new InvalidInputException("--in " + in + " holds no committed results (no " + CommitMarker.FILE
                        + "): the job writing it has not finished, or it failed");
            }
        } catch (IOException e) {
            throw new InvalidInputException("--in " + in + ": cannot read: " + e.getMessage());
        }
        return settings;
    }
}
