package org.neuroplastic.jobs.analyze;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the analyze job reads and how it measures convergence.
 *
 * @param in       the output folder of a train run or a sweep
 * @param fraction share of a run's total held-out loss improvement that {@code epochs_to_fraction} waits
 *                 for, in (0, 1]
 */
public record AnalysisSettings(Path in, double fraction) {

    public static final double DEFAULT_FRACTION = 0.9;
    /** Where the results go when the command line names no output folder: {@code <in>/analysis}. */
    public static final String DEFAULT_FOLDER = "analysis";

    public AnalysisSettings {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new InvalidInputException("--fraction must be in (0, 1], found " + fraction);
        }
    }

    /** Checks that {@code in} holds results before anything is created. */
    public static AnalysisSettings of(Path in, double fraction) {
        AnalysisSettings settings = new AnalysisSettings(in, fraction);
        if (!Files.isDirectory(in)) {
            throw new InvalidInputException("--in " + in + " is not a folder; expected the output folder of a train run or a sweep");
        }
        if (!Files.isDirectory(in.resolve(ResultWriter.RUNS)) && !Files.isDirectory(in.resolve(ResultWriter.EVALUATIONS))) {
            throw new InvalidInputException("--in " + in + " holds neither " + ResultWriter.RUNS + "/ nor "
                    + ResultWriter.EVALUATIONS + "/; expected the output folder of a train run or a sweep");
        }
        return settings;
    }
}
