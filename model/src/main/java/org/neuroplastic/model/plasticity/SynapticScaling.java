package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;

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
        // nOut values: Java arithmetic over them costs less than the ND4J ops' own overhead.
        Elements factor = Elements.of(scale);
        Elements average = Elements.of(activity);
        for (int j = 0; j < scale.length(); j++) {
            double ratio = settings.targetActivity() / Math.max(average.get(j), SILENT);
            double scaled = factor.get(j) * Math.pow(ratio, settings.rate());
            factor.set(j, Math.min(Math.max(scaled, settings.min()), settings.max()));
        }
    }
}
