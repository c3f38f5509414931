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
    }

    /** The epochs (1-based counts) after which trials are compared, ascending. */
    public List<Integer> rungEpochs() {
        List<Integer> epochs = new ArrayList<>(rungs);
        long epoch = minEpochs;
        for (int k = 0; k < rungs; k++) {
            epochs.add((int) Math.min(epoch, Integer.MAX_VALUE));
            epoch *= reductionFactor;
        }
        return epochs;
    }

    /** How many of {@code reached} trials go on past a rung: at least one. */
    public int promoted(int reached) {
        return Math.max(1, reached / reductionFactor);
    }
}
