package org.neuroplastic.model.plasticity;

import static org.neuroplastic.model.plasticity.SettingsValidation.positive;
import static org.neuroplastic.model.plasticity.SettingsValidation.unitInterval;

/**
 * Homeostatic synaptic scaling (Turrigiano et al. 1998): every incoming synapse of an output neuron is
 * multiplied by one factor s that moves the neuron's activity toward a target.
 *
 * @param enabled        whether the factor exists and is updated
 * @param targetActivity the activity (mean |y|) each neuron is scaled toward
 * @param rate           the step in log space toward {@code s * target / activity}, in [0, 1]
 * @param min            the smallest factor allowed
 * @param max            the largest factor allowed
 */
public record ScalingSettings(boolean enabled, double targetActivity, double rate, double min, double max) {

    public ScalingSettings {
        positive("scaling.target_activity", targetActivity);
        unitInterval("scaling.rate", rate);
        positive("scaling.min", min);
        positive("scaling.max", max);
        if (min > 1 || max < 1) {
            throw new IllegalArgumentException("scaling.min and scaling.max must satisfy min <= 1 <= max (the factor starts at 1), found min "
                    + min + ", max " + max);
        }
    }

    public static ScalingSettings off() {
        return new ScalingSettings(false, 0.5, 0.01, 0.5, 2.0);
    }

    public static ScalingSettings on(double targetActivity, double rate, double min, double max) {
        return new ScalingSettings(true, targetActivity, rate, min, max);
    }
}
