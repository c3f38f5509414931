package org.neuroplastic.model.network;

/**
 * What the plasticity of one layer looks like at one reading: the trajectory columns of that layer.
 * A layer without a mechanism reports that mechanism's neutral value (no trace: 0; no mask: density 1;
 * no scaling: factors 1; no threshold: 0); {@code activityMean} and {@code activityStd} are NaN when the
 * layer keeps no activity average.
 *
 * @param layer         the layer's index in the network
 * @param plastic       whether the layer is a PlasticDense layer
 * @param hebbianNorm   Frobenius norm of the Hebbian trace H
 * @param alphaMeanAbs  mean |alpha|, the plasticity coefficient
 * @param maskDensity   fraction of connections present
 * @param pruned        connections pruned since the previous reading
 * @param regrown       connections regrown since the previous reading
 * @param unitsReplaced units continual backprop replaced since the previous reading
 * @param scalingMean   mean synaptic scaling factor s
 * @param scalingMin    smallest s
 * @param scalingMax    largest s
 * @param activityMean  mean of the neurons' activity averages
 * @param activityStd   population standard deviation of the activity averages
 * @param thresholdMean mean adaptive threshold theta
 * @param weightNorm    Frobenius norm of the learned weight W
 */
public record LayerPlasticity(int layer, boolean plastic, double hebbianNorm, double alphaMeanAbs, double maskDensity,
                              long pruned, long regrown, long unitsReplaced, double scalingMean, double scalingMin,
                              double scalingMax, double activityMean, double activityStd, double thresholdMean,
                              double weightNorm) {
}
