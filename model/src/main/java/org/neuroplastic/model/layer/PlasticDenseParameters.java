package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.StructuralPlasticity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays out a {@link PlasticDense} layer's parameters in its slice of the network's flat parameter vector.
 *
 * <p>Learned parameters come first and plastic state after, so the updater sees exactly one block of
 * each; the state lives in the parameter vector so that parameter averaging and model files carry it.
 * Keys present depend on the mechanisms switched on:
 * learned {@code W} (nIn x nOut), {@code b} (1 x nOut), {@code alpha} (nIn x nOut when free, 1 x 1 when
 * shared, absent when fixed), {@code g} (1 x nOut); state {@code H} (nIn x nOut), {@code M} (nIn x nOut),
 * {@code s} (1 x nOut), {@code activity} (1 x nOut), {@code theta} (1 x nOut); with continual backprop
 * (Dohare et al. 2024, see {@link org.neuroplastic.model.plasticity.UnitUtility}) {@code utility},
 * {@code age}, {@code feature_mean}, {@code deviation} (1 x nOut each) and {@code replacement_carry} (1 x 1),
 * the fraction of a unit still owed to replacement.
 */
public final class PlasticDenseParameters implements ParamInitializer {

    public static final PlasticDenseParameters INSTANCE = new PlasticDenseParameters();

    public static final String WEIGHT = "W";
    public static final String BIAS = "b";
    public static final String ALPHA = "alpha";
    public static final String GAIN = "g";
    public static final String TRACE = "H";
    public static final String MASK = "M";
    public static final String SCALING = "s";
    public static final String ACTIVITY = "activity";
    public static final String THRESHOLD = "theta";
    public static final String UTILITY = "utility";
    public static final String AGE = "age";
    public static final String FEATURE_MEAN = "feature_mean";
    public static final String DEVIATION = "deviation";
    public static final String REPLACEMENT_CARRY = "replacement_carry";

    private static final Set<String> STATE = Set.of(TRACE, MASK, SCALING, ACTIVITY, THRESHOLD, UTILITY, AGE,
            FEATURE_MEAN, DEVIATION, REPLACEMENT_CARRY);
    /** What an inference pass updates with {@code at_inference} on: never the mask (rewiring counts training
     * steps) nor continual backprop's utilities (observed in training passes only). */
    private static final Set<String> MOVED_AT_INFERENCE = Set.of(TRACE, SCALING, ACTIVITY, THRESHOLD);

    private PlasticDenseParameters() {
    }

    /** Whether a key names plastic state, changed only by training forward passes, never by the updater. */
    public static boolean isState(String key) {
        return STATE.contains(key);
    }

    /** Whether a key names state that an inference pass moves when the layer's {@code at_inference} is on. */
    public static boolean movesAtInference(String key) {
        return MOVED_AT_INFERENCE.contains(key);
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        PlasticDense conf = (PlasticDense) layer;
        long total = 0;
        for (String key : paramKeys(layer)) {
            long[] shape = shape(conf, key);
            total += shape[0] * shape[1];
        }
        return total;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        PlasticDense conf = (PlasticDense) layer;
        PlasticitySettings p = conf.plasticity();
        List<String> keys = new ArrayList<>(14);
        keys.add(WEIGHT);
        keys.add(BIAS);
        if (p.hebbian().enabled() && p.hebbian().coefficient() != PlasticityCoefficient.FIXED) {
            keys.add(ALPHA);
        }
        if (p.adaptation().enabled()) {
            keys.add(GAIN);
        }
        if (p.hebbian().enabled()) {
            keys.add(TRACE);
        }
        if (p.structural().enabled()) {
            keys.add(MASK);
        }
        if (p.scaling().enabled()) {
            keys.add(SCALING);
        }
        if (p.tracksActivity()) {
            keys.add(ACTIVITY);
        }
        if (p.adaptation().enabled()) {
            keys.add(THRESHOLD);
        }
        if (conf.continualBackprop().enabled()) {
            keys.addAll(List.of(UTILITY, AGE, FEATURE_MEAN, DEVIATION, REPLACEMENT_CARRY));
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.singletonList(BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        PlasticDense layer = (PlasticDense) conf.getLayer();
        long expected = numParams(layer);
        if (paramsView.length() != expected) {
            throw new IllegalStateException("PlasticDense layer " + layer.getLayerName() + ": expected a parameter view of length "
                    + expected + ", got " + paramsView.length());
        }
        Map<String, INDArray> views = views(layer, paramsView);
        for (String key : views.keySet()) {
            conf.addVariable(key);
        }
        if (initializeParams) {
            initialize(layer, views);
        }
        return Collections.synchronizedMap(views);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((PlasticDense) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(PlasticDense layer, INDArray flat) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (String key : INSTANCE.paramKeys(layer)) {
            long[] shape = shape(layer, key);
            long length = shape[0] * shape[1];
            INDArray slice = flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + length));
            views.put(key, shape[0] == 1 ? slice : WeightInitUtil.reshapeWeights(shape, slice));
            offset += length;
        }
        return views;
    }

    private static long[] shape(PlasticDense layer, String key) {
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        return switch (key) {
            case WEIGHT, TRACE, MASK -> new long[] {nIn, nOut};
            case ALPHA -> layer.getPlasticityCoefficient() == PlasticityCoefficient.FREE
                    ? new long[] {nIn, nOut} : new long[] {1, 1};
            case BIAS, GAIN, SCALING, ACTIVITY, THRESHOLD, UTILITY, AGE, FEATURE_MEAN, DEVIATION -> new long[] {1, nOut};
            case REPLACEMENT_CARRY -> new long[] {1, 1};
            default -> throw new IllegalArgumentException("Unknown PlasticDense parameter key " + key);
        };
    }

    private static void initialize(PlasticDense layer, Map<String, INDArray> views) {
        PlasticitySettings p = layer.plasticity();
        INDArray w = views.get(WEIGHT);
        layer.getWeightInitFn().init(layer.getNIn(), layer.getNOut(), w.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, w);
        views.get(BIAS).assign(layer.getBiasInit());
        if (views.containsKey(ALPHA)) {
            views.get(ALPHA).assign(p.hebbian().alphaInit());
        }
        if (views.containsKey(GAIN)) {
            views.get(GAIN).assign(p.adaptation().gainInit());
        }
        if (views.containsKey(TRACE)) {
            views.get(TRACE).assign(0);
        }
        if (views.containsKey(MASK)) {
            StructuralPlasticity.initialMask(views.get(MASK), p.structural().density(), layer.getStructuralSeed());
        }
        if (views.containsKey(SCALING)) {
            views.get(SCALING).assign(1);
        }
        if (views.containsKey(ACTIVITY)) {
            // Start the average at the target so that homeostasis does not react to an empty history.
            double target = p.scaling().enabled() ? p.scaling().targetActivity() : p.adaptation().targetActivity();
            views.get(ACTIVITY).assign(target);
        }
        if (views.containsKey(THRESHOLD)) {
            views.get(THRESHOLD).assign(0);
        }
        for (String key : List.of(UTILITY, AGE, FEATURE_MEAN, DEVIATION, REPLACEMENT_CARRY)) {
            if (views.containsKey(key)) {
                views.get(key).assign(0);
            }
        }
    }
}
