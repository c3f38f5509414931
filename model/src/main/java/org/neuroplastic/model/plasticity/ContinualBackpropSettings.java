package org.neuroplastic.model.plasticity;

import java.io.Serializable;

/**
 * Continual backprop (Dohare et al., "Loss of plasticity in deep continual learning", Nature 2024): each
 * hidden unit keeps a running utility and an age; at every step, {@code replacementRate} times the number of
 * mature units (older than {@code maturityThreshold} steps) is added to a fractional count, and as many whole
 * units as that count holds, the mature ones of least utility, are started afresh.
 *
 * @param replacementRate   the fraction of mature units replaced per step, in [0, 1]; 0 is off
 * @param maturityThreshold steps a unit must have lived before it may be replaced, >= 1
 * @param utilityDecay      the running averages' decay per step, in [0, 1)
 */
public record ContinualBackpropSettings(double replacementRate, int maturityThreshold, double utilityDecay)
        implements Serializable {

    /** Off; the other values are Dohare et al.'s permuted-MNIST settings. */
    public static final ContinualBackpropSettings OFF = new ContinualBackpropSettings(0, 100, 0.99);

    public ContinualBackpropSettings {
        if (!(replacementRate >= 0 && replacementRate <= 1)) {
            throw new IllegalArgumentException("continual_backprop.replacement_rate must be in [0, 1], found "
                    + replacementRate);
        }
        if (maturityThreshold < 1) {
            throw new IllegalArgumentException("continual_backprop.maturity_threshold must be >= 1, found "
                    + maturityThreshold);
        }
        if (!(utilityDecay >= 0 && utilityDecay < 1)) {
            throw new IllegalArgumentException("continual_backprop.utility_decay must be in [0, 1), found "
                    + utilityDecay);
        }
    }

    public boolean enabled() {
        return replacementRate > 0;
    }
}
