package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics every network has: the L2 norm of each parameterised layer's weight matrix ("W"),
 * with every plasticity column null. The source for networks without plastic layers.
 */
public final class WeightNormMetrics implements LayerMetricsSource {

    private static final long serialVersionUID = 1L;

    @Override
    public List<LayerMetrics> read(MultiLayerNetwork network) {
        List<LayerMetrics> metrics = new ArrayList<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].numParams() == 0) {
                continue;
            }
            INDArray weights = layers[i].getParam("W");
            INDArray measured = weights != null ? weights : layers[i].params();
            metrics.add(LayerMetrics.weightsOnly(i, measured.norm2Number().doubleValue()));
        }
        return metrics;
    }
}
