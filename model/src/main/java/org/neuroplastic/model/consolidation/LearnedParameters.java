package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.layer.PlasticDenseParameters;

import java.util.Map;

/**
 * Which positions of a network's flat parameter vector gradient descent learns. A plastic layer keeps its
 * state (trace, mask, scaling, activity, threshold) in the same flat vector; training forward passes
 * change it and the updater never does, so consolidation must neither measure nor pull it.
 */
final class LearnedParameters {

    private LearnedParameters() {
    }

    /** One flag per element of {@code network.params()}: true where the element is learned. */
    static boolean[] of(MultiLayerNetwork network) {
        boolean[] learned = new boolean[Math.toIntExact(network.numParams())];
        int offset = 0;
        for (Layer layer : network.getLayers()) {
            // A layer's views are laid out in its parameter table's order, as DL4J's updater also assumes.
            for (Map.Entry<String, INDArray> entry : layer.paramTable(false).entrySet()) {
                int length = Math.toIntExact(entry.getValue().length());
                boolean state = layer instanceof PlasticDenseLayer && PlasticDenseParameters.isState(entry.getKey());
                for (int i = offset; i < offset + length; i++) {
                    learned[i] = !state;
                }
                offset += length;
            }
        }
        if (offset != learned.length) {
            throw new IllegalStateException("the layers' parameter tables cover " + offset + " of the network's "
                    + learned.length + " parameters");
        }
        return learned;
    }
}
