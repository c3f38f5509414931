package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDense;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.Elements;
import org.neuroplastic.model.plasticity.UnitUtility;

import java.util.SplittableRandom;

import static org.neuroplastic.model.layer.PlasticDenseParameters.AGE;
import static org.neuroplastic.model.layer.PlasticDenseParameters.BIAS;
import static org.neuroplastic.model.layer.PlasticDenseParameters.DEVIATION;
import static org.neuroplastic.model.layer.PlasticDenseParameters.FEATURE_MEAN;
import static org.neuroplastic.model.layer.PlasticDenseParameters.REPLACEMENT_CARRY;
import static org.neuroplastic.model.layer.PlasticDenseParameters.UTILITY;
import static org.neuroplastic.model.layer.PlasticDenseParameters.WEIGHT;

/**
 * Continual backprop (Dohare et al., "Loss of plasticity in deep continual learning", Nature 2024) over the
 * plastic layers that have it on: the utility update after each step ({@link #updateUtilities}) and the
 * replacement of the least useful mature units ({@link #replaceUnits}); {@link UnitUtility} has the formulas.
 *
 * <p>A replaced unit gets fresh incoming weights drawn as at initialisation, bias 0, outgoing weights 0 (so
 * the network's output does not change), utility, running mean and age 0, and no updater history on those
 * weights. Dohare et al.'s code also adds the unit's mean contribution to the next layer's bias, but zeroes
 * that mean first, so the addition is 0; it is left out here. Their Adam also restarts per-weight step
 * counts; DL4J's Adam has one step count per network, which is kept.
 *
 * <p>Layers that rewire themselves (single-JVM training) replace after every step ({@link #afterStep}); in
 * distributed training the driver replaces on the averaged network after each round, once for the round's
 * steps, so every worker continues from the same units.
 */
public final class ContinualBackprop {

    private ContinualBackprop() {
    }

    /** After a single-JVM training step: updates the utilities, and layers that rewire themselves replace. */
    public static void afterStep(MultiLayerNetwork network, long step) {
        updateUtilities(network);
        replace(network, step - 1, step, false);
    }

    /** After an update, on a worker: each layer's utilities from its last forward pass and the new weights. */
    public static void updateUtilities(MultiLayerNetwork network) {
        Layer[] layers = network.getLayers();
        for (int l = 0; l < layers.length - 1; l++) {
            if (layers[l] instanceof PlasticDenseLayer layer && settings(layer).enabled()) {
                UnitUtility.accumulate(layer.getParam(UTILITY), layer.getParam(DEVIATION), layer.getParam(WEIGHT),
                        layers[l + 1].getParam(WEIGHT), settings(layer).utilityDecay());
            }
        }
    }

    /**
     * The trainer's replacement after the network trained from step {@code fromStep} to {@code toStep} (one
     * averaging round): each layer with continual backprop owes {@code replacement_rate} units per mature unit
     * per step of the round, and replaces as many whole units as it owes. The decision reads only the
     * (averaged) state and the seed, so the driver, or every worker holding the same state, takes the same one.
     *
     * @return the number of units replaced
     */
    public static int replaceUnits(MultiLayerNetwork network, long fromStep, long toStep) {
        return replace(network, fromStep, toStep, true);
    }

    private static int replace(MultiLayerNetwork network, long fromStep, long toStep, boolean byTrainer) {
        Layer[] layers = network.getLayers();
        long offset = 0;
        int replaced = 0;
        for (int l = 0; l < layers.length - 1; l++) {
            Layer current = layers[l];
            long next = offset + current.numParams();
            if (current instanceof PlasticDenseLayer layer && settings(layer).enabled()
                    && ((PlasticDense) layer.conf().getLayer()).isRewiredByTrainer() == byTrainer) {
                int[] units = due(layer, toStep - fromStep);
                if (units.length > 0) {
                    restart(network, layer, offset, layers[l + 1], next, units, toStep);
                    layer.countUnitsReplaced(units.length);
                    replaced += units.length;
                }
            }
            offset = next;
        }
        return replaced;
    }

    /** The units the layer replaces now, the carry updated: floor of what it owes, the least useful first. */
    private static int[] due(PlasticDenseLayer layer, long steps) {
        ContinualBackpropSettings c = settings(layer);
        double[] ages = layer.getParam(AGE).toDoubleVector();
        INDArray carry = layer.getParam(REPLACEMENT_CARRY);
        double owed = carry.getDouble(0) + c.replacementRate()
                * UnitUtility.matureUnitSteps(ages, c.maturityThreshold(), steps);
        int whole = (int) Math.floor(owed);
        carry.putScalar(0, owed - whole);
        return whole == 0 ? new int[0] : UnitUtility.leastUseful(layer.getParam(UTILITY).toDoubleVector(), ages,
                c.maturityThreshold(), c.utilityDecay(), whole);
    }

    private static void restart(MultiLayerNetwork network, PlasticDenseLayer layer, long offset, Layer next,
                                long nextOffset, int[] units, long step) {
        PlasticDense conf = (PlasticDense) layer.conf().getLayer();
        int nIn = Math.toIntExact(conf.getNIn());
        int nOut = Math.toIntExact(conf.getNOut());
        INDArray outgoing = next.getParam(WEIGHT);
        int nNext = Math.toIntExact(outgoing.size(1));
        double std = initialStd(conf.getWeightInitFn(), nIn, nOut);
        SplittableRandom random = new SplittableRandom(StepSeed.of(conf.getStructuralSeed(), step, 0));
        Elements incoming = Elements.of(layer.getParam(WEIGHT));
        Elements out = Elements.of(outgoing);
        int[] cleared = new int[units.length * (nIn + 1)];
        int[] clearedNext = new int[units.length * nNext];
        int c = 0;
        int n = 0;
        for (int unit : units) {
            // W is column-major (in x units): unit i's incoming weights are column i, its outgoing ones row i of W'.
            for (int j = 0; j < nIn; j++) {
                incoming.set(unit * nIn + j, std * random.nextGaussian());
                cleared[c++] = unit * nIn + j;
            }
            cleared[c++] = nIn * nOut + unit;
            for (int k = 0; k < nNext; k++) {
                out.set(k * nOut + unit, 0.0);
                clearedNext[n++] = k * nOut + unit;
            }
            layer.getParam(BIAS).putScalar(unit, 0.0);
            for (String key : new String[] {UTILITY, FEATURE_MEAN, DEVIATION, AGE}) {
                layer.getParam(key).putScalar(unit, 0.0);
            }
        }
        // W then b lead both layers' slices of the flat vector: the positions above are offsets in those slices.
        PlasticNetwork.clearUpdaterState(network, offset, cleared);
        PlasticNetwork.clearUpdaterState(network, nextOffset, clearedNext);
    }

    /** The standard deviation the layer's weights were drawn with (He for rectifiers, Glorot otherwise). */
    private static double initialStd(IWeightInit init, int nIn, int nOut) {
        if (init instanceof WeightInitRelu) {
            return Math.sqrt(2.0 / nIn);
        }
        if (init instanceof WeightInitXavier) {
            return Math.sqrt(2.0 / (nIn + nOut));
        }
        throw new IllegalStateException("continual backprop redraws weights as He (relu) or Glorot (xavier) "
                + "initialisation only, found " + init);
    }

    private static ContinualBackpropSettings settings(PlasticDenseLayer layer) {
        return ((PlasticDense) layer.conf().getLayer()).continualBackprop();
    }
}
