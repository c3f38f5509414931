package org.neuroplastic.jobs.trajectory;

import java.io.Serializable;

/**
 * One layer's plasticity measurements at one moment. Every metric except {@code weightNorm} is null
 * when the layer has no such mechanism (or the metrics source cannot see it).
 *
 * @param layer layer index in the network (0 = first hidden layer)
 */
public record LayerMetrics(
        int layer,
        Double hebbianNorm,
        Double alphaMeanAbs,
        Double maskDensity,
        Long pruned,
        Long regrown,
        Long unitsReplaced,
        Double scalingMean,
        Double scalingMin,
        Double scalingMax,
        Double activityMean,
        Double activityStd,
        Double thresholdMean,
        double weightNorm) implements Serializable {

    /** A layer without plasticity: only the weight norm is known. */
    public static LayerMetrics weightsOnly(int layer, double weightNorm) {
        return new LayerMetrics(layer, null, null, null, null, null, null, null, null, null, null, null, null,
                weightNorm);
    }
}
