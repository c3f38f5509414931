package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each layer's parameters sit in a network's flat parameter vector. DL4J lays layers out
 * contiguously in layer order, and a plastic layer keeps its state (traces, mask, scaling, activity)
 * in the same flat view, so a layer's slice holds its whole state.
 */
public final class ParameterLayout {

    private final Map<Integer, long[]> slices;

    private ParameterLayout(Map<Integer, long[]> slices) {
        this.slices = slices;
    }

    public static ParameterLayout of(MultiLayerNetwork network) {
        Map<Integer, long[]> slices = new LinkedHashMap<>();
        long offset = 0;
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            long length = layers[i].numParams();
            if (length > 0) {
                slices.put(i, new long[] {offset, length});
            }
            offset += length;
        }
        return new ParameterLayout(slices);
    }

    /**
     * The worker divergence of one layer: the L2 distance between the layer's slice of a worker's
     * parameter vector and the same slice of the averaged vector.
     */
    public double divergence(int layer, float[] worker, float[] averaged) {
        long[] slice = slices.get(layer);
        if (slice == null) {
            throw new IllegalArgumentException("layer " + layer + " has no parameters; layers with parameters: "
                    + slices.keySet());
        }
        int from = (int) slice[0];
        int to = (int) (slice[0] + slice[1]);
        double sum = 0;
        for (int i = from; i < to; i++) {
            double d = (double) worker[i] - averaged[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
