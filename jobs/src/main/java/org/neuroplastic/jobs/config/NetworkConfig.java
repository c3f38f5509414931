package org.neuroplastic.jobs.config;

import org.nd4j.linalg.activations.Activation;
import org.neuroplastic.model.network.ConfigName;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.List;

/**
 * The {@code network:} section: the model's {@link NetworkSpec} except what only the data knows, the
 * input count when {@code n_in: auto} and the output size (1 for regression, the class count otherwise).
 *
 * @param nIn              input features, or {@link #INFERRED} to take the data set's feature count
 * @param hidden           hidden layers, input side first
 * @param outputActivation the output layer's activation, e.g. {@code identity} or {@code softmax}
 * @param loss             the output layer's loss
 * @param updater          gradient updater and learning rate
 * @param seed             weight initialisation and plasticity seed
 * @param variant          plastic layers, the dense baseline of the same architecture, or the dense baseline
 *                         widened to the plastic network's learned parameter count
 * @param weightDecay      decoupled weight decay of the learned weights, >= 0 (0 is off)
 * @param continualBackprop continual backprop in every hidden layer ({@link ContinualBackpropSettings#OFF}: off)
 */
public record NetworkConfig(int nIn, List<LayerSpec> hidden, String outputActivation, OutputSpec.Loss loss,
                            UpdaterSpec updater, long seed, NetworkSpec.Variant variant, double weightDecay,
                            ContinualBackpropSettings continualBackprop) {

    /** {@code n_in: auto}: take the feature count from the data. */
    public static final int INFERRED = 0;

    /**
     * Weights a network may have: 400 MB of floats per copy, and training holds several copies (updater
     * state, plastic state, averaging buffers) per worker. A layer size typed with extra zeros would
     * otherwise surface as an OutOfMemoryError deep inside DL4J.
     */
    public static final long MAX_WEIGHTS = 100_000_000;

    public NetworkConfig {
        if (nIn < 0 || nIn > DataSource.MAX_FEATURES) {
            throw new IllegalArgumentException("n_in must be in [1, " + DataSource.MAX_FEATURES + "] or auto, found " + nIn);
        }
        hidden = List.copyOf(hidden);
        if (!Double.isFinite(weightDecay) || weightDecay < 0) {
            throw new IllegalArgumentException("weight_decay must be a finite number >= 0, found " + weightDecay);
        }
        if (continualBackprop == null) {
            throw new IllegalArgumentException("continual_backprop must be given, found null");
        }
        if (continualBackprop.enabled() && variant != null && variant != NetworkSpec.Variant.PLASTIC) {
            throw new IllegalArgumentException("continual_backprop needs variant plastic (its layers keep the units' "
                    + "utilities and ages), found " + ConfigName.of(variant));
        }
        // With n_in auto, the input layer is checked once the data's feature count is known (spec).
        long weights = 0;
        long inputs = nIn == INFERRED ? 1 : nIn;
        for (int i = 0; i < hidden.size(); i++) {
            weights += inputs * hidden.get(i).size();
            inputs = hidden.get(i).size();
            if (weights + inputs > MAX_WEIGHTS) {
                throw new IllegalArgumentException("hidden[" + i + "].size " + inputs + " makes the layers up to it hold "
                        + (weights + inputs) + " weights, more than the " + MAX_WEIGHTS + " a network may have");
            }
        }
    }

    /** Weights of the hidden layers and a one-unit output, from {@code nIn} inputs. */
    private static long weights(int nIn, List<LayerSpec> hidden) {
        long weights = 0;
        long inputs = nIn;
        for (LayerSpec layer : hidden) {
            weights += inputs * layer.size();
            inputs = layer.size();
        }
        return weights + inputs;
    }

    public boolean nInInferred() {
        return nIn == INFERRED;
    }

    /** The model's specification for data with {@code features} features and labels of {@code target}. */
    public NetworkSpec spec(int features, Target target) {
        long weights = weights(nInInferred() ? features : nIn, hidden) + (long) hidden.get(hidden.size() - 1).size()
                * (target.outputs() - 1);
        if (weights > MAX_WEIGHTS) {
            throw new InvalidInputException("network: " + features + " inputs and hidden sizes "
                    + hidden.stream().map(l -> Integer.toString(l.size())).toList() + " make " + weights
                    + " weights, more than the " + MAX_WEIGHTS + " a network may have");
        }
        return new NetworkSpec(nInInferred() ? features : nIn, hidden,
                new OutputSpec(target.outputs(), outputActivation, loss), updater, seed, variant, weightDecay,
                continualBackprop);
    }

    /**
     * Reads the {@code network:} section; the output's defaults follow {@code target} (identity and MSE
     * for regression, softmax and cross-entropy for classification).
     */
    public static NetworkConfig read(ConfigSection network, Target target) {
        return network.build(() -> {
            int nIn = network.integerOr("n_in", "auto", INFERRED);
            List<LayerSpec> hidden = network.sections("hidden").stream().map(NetworkConfig::readHidden).toList();
            ConfigSection output = network.section("output");
            Activation activation = output.choice("activation", Activation.class,
                    target.isClassification() ? Activation.SOFTMAX : Activation.IDENTITY);
            OutputSpec.Loss loss = output.choice("loss", OutputSpec.Loss.class,
                    target.isClassification() ? OutputSpec.Loss.CROSS_ENTROPY : OutputSpec.Loss.MSE);
            output.rejectUnknownKeys();
            requireLossFits(loss, target);
            String outputActivation = ConfigName.of(activation);
            // Validates activation against loss now rather than when the data set is loaded.
            new OutputSpec(target.outputs(), outputActivation, loss);
            ConfigSection updater = network.section("updater");
            UpdaterSpec.Name updaterName = updater.choice("name", UpdaterSpec.Name.class, UpdaterSpec.Name.ADAM);
            double learningRate = updater.number("learning_rate", 1e-3);
            ConfigSection decay = updater.section("learning_rate_decay");
            int everyEpochs = decay.integer("every_epochs", 1);
            double factor = decay.number("factor", 1);
            decay.rejectUnknownKeys();
            UpdaterSpec.LearningRateDecay learningRateDecay = updater.build(
                    () -> new UpdaterSpec.LearningRateDecay(everyEpochs, factor));
            UpdaterSpec updaterSpec = new UpdaterSpec(updaterName, learningRate, learningRateDecay);
            return new NetworkConfig(nIn, hidden, outputActivation, loss, updaterSpec,
                    network.longInteger("seed", 42),
                    network.choice("variant", NetworkSpec.Variant.class, NetworkSpec.Variant.PLASTIC),
                    network.number("weight_decay", 0),
                    readContinualBackprop(network));
        });
    }

    /** Off unless {@code replacement_rate} is above 0; the other keys default to Dohare et al.'s permuted-MNIST ones. */
    private static ContinualBackpropSettings readContinualBackprop(ConfigSection network) {
        ConfigSection c = network.section("continual_backprop");
        double rate = c.number("replacement_rate", ContinualBackpropSettings.OFF.replacementRate());
        int maturity = c.integer("maturity_threshold", ContinualBackpropSettings.OFF.maturityThreshold());
        double decay = c.number("utility_decay", ContinualBackpropSettings.OFF.utilityDecay());
        c.rejectUnknownKeys();
        return new ContinualBackpropSettings(rate, maturity, decay);
    }

    private static void requireLossFits(OutputSpec.Loss loss, Target target) {
        OutputSpec.Loss expected = target.isClassification() ? OutputSpec.Loss.CROSS_ENTROPY : OutputSpec.Loss.MSE;
        if (loss != expected) {
            throw new IllegalArgumentException("output.loss must be " + ConfigName.of(expected) + " for a "
                    + ConfigName.of(target.task()) + " data set, found " + ConfigName.of(loss));
        }
    }

    private static LayerSpec readHidden(ConfigSection layer) {
        return layer.build(() -> {
            int size = layer.integer("size");
            if (size < 1) {
                throw new IllegalArgumentException("size must be >= 1, found " + size);
            }
            Activation activation = layer.choice("activation", Activation.class, Activation.TANH);
            double dropout = layer.number("dropout", 0);
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
            }
            return new LayerSpec(size, ConfigName.of(activation),
                    readPlasticity(layer.section("plasticity")), dropout);
        });
    }

    private static PlasticitySettings readPlasticity(ConfigSection p) {
        return p.build(() -> new PlasticitySettings(
                readHebbian(p.section("hebbian")),
                readScaling(p.section("scaling")),
                readStructural(p.section("structural")),
                readAdaptation(p.section("adaptation")),
                p.number("activity_rate", 0.01),
                readAtInference(p.section("at_inference"))));
    }

    // Each mechanism's record names its keys relative to the plasticity section ("hebbian.eta"), so it is
    // built under that section's build(), after its own section has rejected unknown keys.

    private static HebbianSettings readHebbian(ConfigSection h) {
        HebbianSettings off = HebbianSettings.off();
        boolean enabled = h.flag("enabled", false);
        HebbianRule rule = h.choice("rule", HebbianRule.class, off.rule());
        double eta = h.number("eta", off.eta());
        PlasticityCoefficient alpha = h.choice("alpha", PlasticityCoefficient.class, off.coefficient());
        double alphaInit = h.number("alpha_init", off.alphaInit());
        h.rejectUnknownKeys();
        return new HebbianSettings(enabled, rule, eta, alpha, alphaInit);
    }

    private static ScalingSettings readScaling(ConfigSection s) {
        ScalingSettings off = ScalingSettings.off();
        boolean enabled = s.flag("enabled", false);
        double target = s.number("target_activity", off.targetActivity());
        double rate = s.number("rate", off.rate());
        double min = s.number("min", off.min());
        double max = s.number("max", off.max());
        s.rejectUnknownKeys();
        return new ScalingSettings(enabled, target, rate, min, max);
    }

    private static StructuralSettings readStructural(ConfigSection s) {
        StructuralSettings off = StructuralSettings.off();
        boolean enabled = s.flag("enabled", false);
        double density = s.number("density", off.density());
        double zeta = s.number("zeta", off.zeta());
        int rewireEvery = s.integer("rewire_every", off.rewireEvery());
        Regrowth regrowth = s.choice("regrowth", Regrowth.class, off.regrowth());
        s.rejectUnknownKeys();
        return new StructuralSettings(enabled, density, zeta, rewireEvery, regrowth);
    }

    private static InferencePlasticity readAtInference(ConfigSection i) {
        InferencePlasticity off = InferencePlasticity.off();
        boolean enabled = i.flag("enabled", off.enabled());
        InferencePlasticity.Reset reset = i.choice("reset", InferencePlasticity.Reset.class, off.reset());
        i.rejectUnknownKeys();
        return new InferencePlasticity(enabled, reset);
    }

    private static AdaptationSettings readAdaptation(ConfigSection a) {
        AdaptationSettings off = AdaptationSettings.off();
        boolean enabled = a.flag("enabled", false);
        double target = a.number("target_activity", off.targetActivity());
        double rate = a.number("threshold_rate", off.thresholdRate());
        double gainInit = a.number("gain_init", off.gainInit());
        a.rejectUnknownKeys();
        return new AdaptationSettings(enabled, target, rate, gainInit);
    }
}
