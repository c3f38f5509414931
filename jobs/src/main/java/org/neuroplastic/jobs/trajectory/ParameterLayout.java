package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each layer's parameters sit in a network's flat parameter vector. DL4J lays layers out
 * contiguously in layer order, and a plastic layer keeps its state (traces, mask, scaling, activity)
 * in the same flat view, so a layer's slice holds its whole state.
 */
public final class ParameterLayout implements Serializable {

    private static final long serialVersionUID = 1L;

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

    /** Each layer with parameters, in layer order, to its {offset, length} in the flat parameter vector. */
    public Map<Integer, long[]> slices() {
        return Collections.unmodifiableMap(slices);
    }
}
