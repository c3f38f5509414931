package org.neuroplastic.jobs.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * Successive halving: after {@code min_epochs * reduction_factor^k} epochs (rung k, k < rungs) only the
 * best {@code 1 / reduction_factor} of the trials that reached the rung go on.
 */
public record EarlyStop(int rungs, int reductionFactor, int minEpochs) {

    public EarlyStop {
        if (rungs < 1) {
            throw new IllegalArgumentException("rungs must be >= 1, found " + rungs);
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor must be >= 2, found " + reductionFactor);
        }
        if (minEpochs < 1) {
            throw new IllegalArgumentException("min_epochs must be >= 1, found " + minEpochs);
        }
        // The last rung must be an epoch count a run can have; checked by multiplying, as rungs may be huge.
        long last = minEpochs;
        for (int k = 1; k < rungs; k++) {
            last *= reductionFactor;
            if (last > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("rungs must be at most " + k + " with min_epochs " + minEpochs
                        + " and reduction_factor " + reductionFactor + " (the last rung's epoch must be below 2^31), found "
                        + rungs);
            }
        }
    }

    /** The epochs (1-based counts) after which trials are compared, ascending. */
    public List<Integer> rungEpochs() {
        List<Integer> epochs = new ArrayList<>(rungs);
        long epoch = minEpochs;
        for (int k = 0; k < rungs; k++) {
            epochs.add((int) epoch);
            epoch *= reductionFactor;
        }
        return epochs;
    }

    /** How many of {@code reached} trials go on past a rung: at least one. */
    public int promoted(int reached) {
        return Math.max(1, reached / reductionFactor);
    }
}
