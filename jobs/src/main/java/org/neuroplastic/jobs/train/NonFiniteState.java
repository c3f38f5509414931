package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.neuroplastic.model.layer.PlasticDenseParameters;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the first parameter array of a network (learned weights or plastic state: every array lives in
 * the parameter view) that holds a NaN or an infinite value, and names it for the user, e.g.
 * "layer 0 hebbian trace H became NaN".
 */
public final class NonFiniteState {

    private static final Map<String, String> QUANTITIES = Map.of(
            PlasticDenseParameters.WEIGHT, "weights",
            PlasticDenseParameters.BIAS, "bias",
            PlasticDenseParameters.ALPHA, "plasticity coefficient",
            PlasticDenseParameters.GAIN, "gain",
            PlasticDenseParameters.TRACE, "hebbian trace",
            PlasticDenseParameters.MASK, "connection mask",
            PlasticDenseParameters.SCALING, "synaptic scaling",
            PlasticDenseParameters.ACTIVITY, "activity average",
            PlasticDenseParameters.THRESHOLD, "adaptive threshold");

    private NonFiniteState() {
    }

    /** The first non-finite array, layer by layer in parameter order, or empty when all are finite. */
    public static Optional<String> first(MultiLayerNetwork network) {
        if (BooleanIndexing.and(network.params(), Conditions.isFinite())) {
            return Optional.empty();
        }
        for (Layer layer : network.getLayers()) {
            for (Map.Entry<String, INDArray> entry : layer.paramTable().entrySet()) {
                INDArray values = entry.getValue();
                if (!BooleanIndexing.and(values, Conditions.isFinite())) {
                    String key = entry.getKey();
                    String quantity = QUANTITIES.containsKey(key) ? QUANTITIES.get(key) + " " + key : "parameter " + key;
                    return Optional.of("layer " + layer.getIndex() + " " + quantity + " became "
                            + (BooleanIndexing.or(values, Conditions.isNan()) ? "NaN" : "infinite"));
                }
            }
        }
        return Optional.of("a parameter became NaN or infinite");
    }

    /** "NaN" or "infinite" for a non-finite value, for messages about a loss. */
    public static String describe(double value) {
        return Double.isNaN(value) ? "NaN" : "infinite";
    }
}
