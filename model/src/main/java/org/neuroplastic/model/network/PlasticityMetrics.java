package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.plasticity.Elements;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.StructuralPlasticity;

import java.util.ArrayList;
import java.util.List;

import static org.neuroplastic.model.layer.PlasticDenseParameters.ACTIVITY;
import static org.neuroplastic.model.layer.PlasticDenseParameters.ALPHA;
import static org.neuroplastic.model.layer.PlasticDenseParameters.MASK;
import static org.neuroplastic.model.layer.PlasticDenseParameters.SCALING;
import static org.neuroplastic.model.layer.PlasticDenseParameters.THRESHOLD;
import static org.neuroplastic.model.layer.PlasticDenseParameters.TRACE;
import static org.neuroplastic.model.layer.PlasticDenseParameters.WEIGHT;

/**
 * Reads the plasticity of every layer with a weight matrix, for the trajectories. The trainers read it
 * after every step, so every statistic is one Java pass over the array ({@link Elements#sum}) rather
 * than an ND4J reduction each.
 */
public final class PlasticityMetrics {

    private PlasticityMetrics() {
    }

    /**
     * One reading per layer that has a weight {@code W}, in layer order. Reading resets the layers'
     * pruned/regrown and replaced-unit counts, so each reading reports the rewiring and the continual
     * backprop replacements since the previous one.
     */
    public static List<LayerPlasticity> read(MultiLayerNetwork network) {
        List<LayerPlasticity> readings = new ArrayList<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            if (layer instanceof PlasticDenseLayer plastic) {
                readings.add(read(i, plastic));
            } else if (layer.paramTable().containsKey(WEIGHT)) {
                double weightNorm = norm2(layer.getParam(WEIGHT));
                readings.add(new LayerPlasticity(i, false, 0, 0, 1, 0, 0, 0, 1, 1, 1, Double.NaN, Double.NaN, 0,
                        weightNorm));
            }
        }
        return readings;
    }

    static LayerPlasticity read(int index, PlasticDenseLayer layer) {
        PlasticitySettings p = layer.plasticity();
        StructuralPlasticity.Rewiring rewiring = layer.takeRewiringCounts();
        double hebbianNorm = p.hebbian().enabled() ? norm2(layer.getParam(TRACE)) : 0;
        double alphaMeanAbs;
        if (!p.hebbian().enabled()) {
            alphaMeanAbs = 0;
        } else if (layer.paramTable().containsKey(ALPHA)) {
            INDArray alpha = layer.getParam(ALPHA);
            alphaMeanAbs = Elements.sum(alpha, Elements.Term.ABSOLUTE) / alpha.length();
        } else {
            alphaMeanAbs = Math.abs(p.hebbian().alphaInit());
        }
        double maskDensity = 1;
        if (p.structural().enabled()) {
            INDArray mask = layer.getParam(MASK);
            maskDensity = Elements.sum(mask, Elements.Term.VALUE) / mask.length();
        }
        double scalingMean = 1;
        double scalingMin = 1;
        double scalingMax = 1;
        if (p.scaling().enabled()) {
            Elements.Summary s = Elements.summarize(layer.getParam(SCALING));
            scalingMean = s.mean();
            scalingMin = s.min();
            scalingMax = s.max();
        }
        double activityMean = Double.NaN;
        double activityStd = Double.NaN;
        if (p.tracksActivity()) {
            Elements.Summary a = Elements.summarize(layer.getParam(ACTIVITY));
            activityMean = a.mean();
            activityStd = a.std();
        }
        double thresholdMean = p.adaptation().enabled() ? Elements.summarize(layer.getParam(THRESHOLD)).mean() : 0;
        double weightNorm = norm2(layer.getParam(WEIGHT));
        return new LayerPlasticity(index, true, hebbianNorm, alphaMeanAbs, maskDensity, rewiring.pruned(),
                rewiring.regrown(), layer.takeUnitsReplaced(), scalingMean, scalingMin, scalingMax, activityMean,
                activityStd, thresholdMean, weightNorm);
    }

    private static double norm2(INDArray array) {
        return Math.sqrt(Elements.sum(array, Elements.Term.SQUARE));
    }
}
