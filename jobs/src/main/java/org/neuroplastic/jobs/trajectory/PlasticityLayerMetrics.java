package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.model.network.LayerPlasticity;
import org.neuroplastic.model.network.PlasticityMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's {@link PlasticityMetrics} as trajectory columns. Layers that are not plastic (the
 * output layer, dense baselines) get null plasticity columns rather than the model's neutral values,
 * so a reader can tell "no mechanism" from "mechanism at rest"; an activity average the layer does
 * not keep (NaN in the model) is null too.
 */
public final class PlasticityLayerMetrics implements LayerMetricsSource {

    private static final long serialVersionUID = 1L;

    @Override
    public List<LayerMetrics> read(MultiLayerNetwork network) {
        List<LayerPlasticity> readings = PlasticityMetrics.read(network);
        List<LayerMetrics> metrics = new ArrayList<>(readings.size());
        for (LayerPlasticity p : readings) {
            metrics.add(p.plastic()
                    ? new LayerMetrics(p.layer(), p.hebbianNorm(), p.alphaMeanAbs(), p.maskDensity(), p.pruned(),
                            p.regrown(), p.unitsReplaced(), p.scalingMean(), p.scalingMin(), p.scalingMax(),
                            orNull(p.activityMean()), orNull(p.activityStd()), p.thresholdMean(), p.weightNorm())
                    : LayerMetrics.weightsOnly(p.layer(), p.weightNorm()));
        }
        return metrics;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
