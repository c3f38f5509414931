package org.neuroplastic.jobs.results;

import org.neuroplastic.model.network.ConfigName;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a run or a sweep trial ended: the one status vocabulary of the runs and trials tables, spelled there
 * as {@link ConfigName#of} spells it ({@code completed}, {@code timed_out}, ...).
 */
public enum RunStatus {
    /** Trained every epoch it was given. */
    COMPLETED,
    /** Stopped early by successive halving; its rows up to then are kept. */
    STOPPED,
    /**
     * Stopped by the sweep's {@code trial_timeout}; the rows of its segments that ended (rungs) are kept, the
     * cancelled segment left none. Not finished: {@code --resume} trains it again, as it does a failed trial.
     */
    TIMED_OUT,
    /** Stopped because its loss or state became NaN or infinite; its rows up to that step are kept. */
    DIVERGED,
    /** Ended by an error; the table's {@code error} has the first line of its message. */
    FAILED;

    /** Whether a resumed sweep keeps a trial that ended so rather than training it again (training is deterministic). */
    public boolean finished() {
        return this == COMPLETED || this == STOPPED || this == DIVERGED;
    }

    /** The status a table spells {@code written}. */
    public static RunStatus read(String written) {
        for (RunStatus status : values()) {
            if (ConfigName.of(status).equals(written)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status must be one of " + Arrays.stream(values()).map(ConfigName::of)
                .collect(Collectors.joining(", ")) + ", found " + written);
    }
}
