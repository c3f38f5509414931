package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multiplicative homeostatic synaptic scaling (Turrigiano et al. 1998; van Rossum, Bi and Turrigiano 2000).
 *
 * <p>Each neuron's factor moves toward {@code s * target / activity}, the factor that would bring its
 * activity to the target, by a step of {@code rate} in log space:
 * {@code s <- clamp(s * (target / a)^rate, min, max)}. The step is taken in log space because the
 * activity already reflects the current factor: moving s itself toward {@code target / a} would settle
 * where {@code a s = target} rather than where {@code a = target}.
 */
public final class SynapticScaling {

    /** Activity below this counts as silent; it only bounds the ratio, which the clamp then limits. */
    static final double SILENT = 1e-12;

    private SynapticScaling() {
    }

    /** Updates {@code scale} (1 x nOut) in place from the neurons' activity average (1 x nOut). */
    public static void update(INDArray scale, INDArray activity, ScalingSettings settings) {
        INDArray ratio = Transforms.max(activity, SILENT, true).rdivi(settings.targetActivity());
        Transforms.pow(ratio, settings.rate(), false);
        scale.muli(ratio);
        clamp(scale, settings.min(), settings.max());
    }

    static void clamp(INDArray values, double min, double max) {
        Transforms.max(values, min, false);
        Transforms.min(values, max, false);
    }
}
