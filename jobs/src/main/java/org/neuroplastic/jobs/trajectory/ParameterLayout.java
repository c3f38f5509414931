package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.Serializable;
import java.nio.FloatBuffer;
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

    /** Values read at a time from buffers: two blocks of floats stay in a core's L2 cache. */
    private static final int BLOCK = 16_384;

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
        double[] squares = new double[layers];
        addSquares(0, from, to, (int) parameters(), squares);
        return roots(squares);
    }

    /** {@link #distances(float[], float[])} of two vectors held in buffers (from index 0), read a block at a time. */
    public double[] distances(FloatBuffer from, FloatBuffer to) {
        int parameters = (int) parameters();
        double[] squares = new double[layers];
        float[] a = new float[Math.min(BLOCK, parameters)];
        float[] b = new float[a.length];
        for (int start = 0; start < parameters; start += BLOCK) {
            int count = Math.min(BLOCK, parameters - start);
            from.get(start, a, 0, count);
            to.get(start, b, 0, count);
            addSquares(start, a, b, count, squares);
        }
        return roots(squares);
    }

    /**
     * Adds to {@code squares[layer]} the squared differences {@code (to[i] - from[i])^2} of the elements
     * {@code i < count}, element {@code i} being flat position {@code position + i}; positions past the
     * parameters are not read. Called block after block in position order, it adds in the order of {@link
     * #distances(float[], float[])}, so a vector cut into consecutive blocks gives the same sums to the last bit.
     */
    public void addSquares(long position, float[] from, float[] to, int count, double[] squares) {
        long end = position + count;
        for (Map.Entry<Integer, long[]> layer : slices.entrySet()) {
            long layerStart = layer.getValue()[0];
            int lo = (int) (Math.max(position, layerStart) - position);
            int hi = (int) (Math.min(end, layerStart + layer.getValue()[1]) - position);
            double sum = squares[layer.getKey()];
            for (int i = lo; i < hi; i++) {
                double d = (double) to[i] - from[i];
                sum += d * d;
            }
            squares[layer.getKey()] = sum;
        }
    }

    /** The distances of summed squares: their square roots. */
    public static double[] roots(double[] squares) {
        double[] roots = new double[squares.length];
        for (int i = 0; i < squares.length; i++) {
            roots[i] = Math.sqrt(squares[i]);
        }
        return roots;
    }

    /** The number of parameters: where the last layer's slice ends. */
    public long parameters() {
        long end = 0;
        for (long[] slice : slices.values()) {
            end = Math.max(end, slice[0] + slice[1]);
        }
        return end;
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
