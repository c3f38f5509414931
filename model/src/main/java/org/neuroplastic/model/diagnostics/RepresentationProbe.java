package org.neuroplastic.model.diagnostics;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.network.InferenceCheckpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link RepresentationDiagnostics} for every hidden layer with a weight matrix, from one inference
 * forward pass over a fixed probe batch. The pass is an evaluation pass: it leaves the parameters and the
 * plastic state as they are, so probing does not change what is trained.
 */
public final class RepresentationProbe {

    private static final String WEIGHT = "W";

    /**
     * One layer's readings.
     *
     * @param layer              layer index in the network
     * @param deadUnitFraction   fraction of the layer's units silent on every probe example
     * @param effectiveRank      effective rank of the layer's output on the probe batch
     * @param meanAbsoluteWeight mean absolute value of the layer's weight matrix
     */
    public record Reading(int layer, double deadUnitFraction, double effectiveRank, double meanAbsoluteWeight) {
    }

    private RepresentationProbe() {
    }

    /** Readings for every layer with a weight matrix except the output layer, in layer order. */
    public static List<Reading> read(MultiLayerNetwork network, INDArray probe) {
        List<INDArray> outputs;
        // A probe is no inference batch: it leaves the state as it found it, whatever at_inference says.
        try (InferenceCheckpoint checkpoint = InferenceCheckpoint.of(network)) {
            outputs = network.feedForward(probe, false);
            checkpoint.rewind();
        }
        Layer[] layers = network.getLayers();
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < layers.length - 1; i++) {
            if (layers[i].paramTable().containsKey(WEIGHT)) {
                INDArray activations = outputs.get(i + 1);
                readings.add(new Reading(i, RepresentationDiagnostics.deadUnitFraction(activations),
                        RepresentationDiagnostics.effectiveRank(activations),
                        RepresentationDiagnostics.meanAbsoluteWeight(layers[i].getParam(WEIGHT))));
            }
        }
        return readings;
    }
}
