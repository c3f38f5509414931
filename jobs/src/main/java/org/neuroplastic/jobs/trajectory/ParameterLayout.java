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
    private final int layers;

    private ParameterLayout(Map<Integer, long[]> slices, int layers) {
        this.slices = slices;
        this.layers = layers;
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
        return new ParameterLayout(slices, layers.length);
    }

    /**
     * Per layer index, the Euclidean distance between the layer's slices of two flat parameter vectors of
     * this layout (0 for layers without parameters), accumulated in double precision. Only the parameter
     * positions are read, so either array may go on past them (e.g. an averaged state with updater values).
     */
    public double[] distances(float[] from, float[] to) {
        double[] distances = new double[layers];
        for (Map.Entry<Integer, long[]> layer : slices.entrySet()) {
            int offset = (int) layer.getValue()[0];
            int end = offset + (int) layer.getValue()[1];
            double squares = 0;
            for (int i = offset; i < end; i++) {
                double d = (double) to[i] - from[i];
                squares += d * d;
            }
            distances[layer.getKey()] = Math.sqrt(squares);
        }
        return distances;
    }

    /** The layer count of the network, the length of {@link #distances}' result. */
    public int layers() {
        return layers;
    }

    /** Each layer with parameters, in layer order, to its {offset, length} in the flat parameter vector. */
    public Map<Integer, long[]> slices() {
        return Collections.unmodifiableMap(slices);
    }
}
