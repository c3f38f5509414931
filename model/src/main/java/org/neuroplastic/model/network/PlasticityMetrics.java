package org.neuroplastic.model.network;

import static org.neuroplastic.model.layer.PlasticDenseParameters.ACTIVITY;
import static org.neuroplastic.model.layer.PlasticDenseParameters.ALPHA;
import static org.neuroplastic.model.layer.PlasticDenseParameters.MASK;
import static org.neuroplastic.model.layer.PlasticDenseParameters.SCALING;
import static org.neuroplastic.model.layer.PlasticDenseParameters.THRESHOLD;
import static org.neuroplastic.model.layer.PlasticDenseParameters.TRACE;
import static org.neuroplastic.model.layer.PlasticDenseParameters.WEIGHT;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.StructuralPlasticity;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads the plasticity of every layer with a weight matrix, for the trajectories. */
public final class PlasticityMetrics {

    private PlasticityMetrics() {
    }

    /**
     * One reading per layer that has a weight {@code W}, in layer order. Reading resets the layers'
     * pruned/regrown counts, so each reading reports the rewiring since the previous one.
     */
    public static List<LayerPlasticity> read(MultiLayerNetwork network) {
        List<LayerPlasticity> readings = new ArrayList<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            if (layer instanceof PlasticDenseLayer plastic) {
                readings.add(read(i, plastic));
            } else if (layer.paramTable().containsKey(WEIGHT)) {
                double weightNorm = layer.getParam(WEIGHT).norm2Number().doubleValue();
                readings.add(new LayerPlasticity(i, false, 0, 0, 1, 0, 0, 1, 1, 1, Double.NaN, Double.NaN, 0, weightNorm));
            }
        }
        return readings;
    }

    static LayerPlasticity read(int index, PlasticDenseLayer layer) {
        PlasticitySettings p = layer.plasticity();
        StructuralPlasticity.Rewiring rewiring = layer.takeRewiringCounts();
        double hebbianNorm = p.hebbian().enabled() ? layer.getParam(TRACE).norm2Number().doubleValue() : 0;
        double alphaMeanAbs;
        if (!p.hebbian().enabled()) {
            alphaMeanAbs = 0;
        } else if (layer.paramTable().containsKey(ALPHA)) {
            alphaMeanAbs = layer.getParam(ALPHA).norm1Number().doubleValue() / layer.getParam(ALPHA).length();
        } else {
            alphaMeanAbs = Math.abs(p.hebbian().alphaInit());
        }
        double maskDensity = p.structural().enabled() ? layer.getParam(MASK).meanNumber().doubleValue() : 1;
        double scalingMean = 1;
        double scalingMin = 1;
        double scalingMax = 1;
        if (p.scaling().enabled()) {
            INDArray s = layer.getParam(SCALING);
            scalingMean = s.meanNumber().doubleValue();
            scalingMin = s.minNumber().doubleValue();
            scalingMax = s.maxNumber().doubleValue();
        }
        double activityMean = Double.NaN;
        double activityStd = Double.NaN;
        if (p.tracksActivity()) {
            INDArray a = layer.getParam(ACTIVITY);
            activityMean = a.meanNumber().doubleValue();
            activityStd = a.stdNumber(false).doubleValue();
        }
        double thresholdMean = p.adaptation().enabled() ? layer.getParam(THRESHOLD).meanNumber().doubleValue() : 0;
        double weightNorm = layer.getParam(WEIGHT).norm2Number().doubleValue();
        return new LayerPlasticity(index, true, hebbianNorm, alphaMeanAbs, maskDensity, rewiring.pruned(),
                rewiring.regrown(), scalingMean, scalingMin, scalingMax, activityMean, activityStd, thresholdMean,
                weightNorm);
    }
}
