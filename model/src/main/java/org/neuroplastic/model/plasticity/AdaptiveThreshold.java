package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sliding threshold of activity-dependent adaptive activation (intrinsic plasticity; Triesch 2005,
 * Desai et al. 1999): a neuron more active than its target raises its threshold, a quieter one lowers it.
 * With a threshold subtracted from the pre-activation this is negative feedback for activations whose
 * output grows with their input (relu, sigmoid, softplus, ...).
 */
public final class AdaptiveThreshold {

    private AdaptiveThreshold() {
    }

    /** {@code theta <- theta + rate (a - target)}, in place on {@code threshold} (1 x nOut). */
    public static void update(INDArray threshold, INDArray activity, AdaptationSettings settings) {
        Elements theta = Elements.of(threshold);
        Elements average = Elements.of(activity);
        for (int j = 0; j < threshold.length(); j++) {
            theta.set(j, theta.get(j) + (average.get(j) - settings.targetActivity()) * settings.thresholdRate());
        }
    }
}
