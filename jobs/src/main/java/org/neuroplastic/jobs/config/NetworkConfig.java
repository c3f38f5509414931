package org.neuroplastic.jobs.config;

import org.nd4j.linalg.activations.Activation;

import java.util.List;

/**
 * The {@code network:} section: the layers of a plastic (or plain dense) multilayer perceptron.
 * The train job maps it onto the model module's network specification.
 *
 * @param nIn     input features, or {@link #INFERRED} to take the data set's feature count
 * @param hidden  hidden layers, input side first
 * @param output  the output layer; its size follows from the data (1 for regression, classes otherwise)
 * @param updater gradient updater and learning rate
 * @param seed    weight initialisation and plasticity seed
 * @param variant {@code plastic} uses each layer's plasticity; {@code dense} is the same network with
 *                every mechanism off, the baseline to compare against
 */
public record NetworkConfig(int nIn, List<HiddenLayer> hidden, Output output, Updater updater, long seed,
                            Variant variant) {

    /** {@code n_in: auto}: take the feature count from the data. */
    public static final int INFERRED = 0;

    public enum Variant { PLASTIC, DENSE }

    public enum Loss { MSE, MCXENT }

    public enum UpdaterName { SGD, ADAM, NESTEROVS, RMSPROP }

    public NetworkConfig {
        if (nIn < 0) {
            throw new IllegalArgumentException("n_in must be >= 1 or auto, found " + nIn);
        }
        hidden = List.copyOf(hidden);
    }

    public boolean nInInferred() {
        return nIn == INFERRED;
    }

    public record HiddenLayer(int size, Activation activation, Plasticity plasticity) {
        public HiddenLayer {
            if (size < 1) {
                throw new IllegalArgumentException("size must be >= 1, found " + size);
            }
        }
    }

    /** @param activityRate rate of the running average of each unit's (non-negative) activity */
    public record Plasticity(Hebbian hebbian, Scaling scaling, Structural structural, Adaptation adaptation,
                             double activityRate) {
        public Plasticity {
            requireRate("activity_rate", activityRate);
        }

        public boolean anyEnabled() {
            return hebbian.enabled() || scaling.enabled() || structural.enabled() || adaptation.enabled();
        }
    }

    /**
     * Hebbian trace with a learned gate, in the differentiable-plasticity form.
     *
     * @param rule      {@code decay}: trace += eta (post x pre - trace); {@code oja}: Oja's normalising rule
     * @param eta       trace learning rate
     * @param alpha     {@code free}: one gate per connection; {@code shared}: one per layer;
     *                  {@code fixed}: not trained
     * @param alphaInit initial gate value
     */
    public record Hebbian(boolean enabled, Rule rule, double eta, AlphaMode alpha, double alphaInit) {
        public enum Rule { DECAY, OJA }

        public enum AlphaMode { FREE, SHARED, FIXED }

        public Hebbian {
            requireRate("eta", eta);
            requireFinite("alpha_init", alphaInit);
        }
    }

    /** Synaptic scaling: multiplies a unit's inputs to drive its average activity toward the target. */
    public record Scaling(boolean enabled, double targetActivity, double rate, double min, double max) {
        public Scaling {
            requirePositive("target_activity", targetActivity);
            requireRate("rate", rate);
            if (!(min > 0 && min <= 1)) {
                throw new IllegalArgumentException("min must be in (0, 1], found " + min);
            }
            if (!(max >= 1 && Double.isFinite(max))) {
                throw new IllegalArgumentException("max must be a finite number >= 1, found " + max);
            }
        }
    }

    /**
     * Structural plasticity: a binary connection mask of fixed density, rewired on the driver.
     *
     * @param zeta        fraction of the live connections pruned (smallest magnitude) at each rewiring
     * @param rewireEvery training steps between rewirings
     * @param regrowth    where pruned connections grow back: strongest Hebbian trace, or at random
     */
    public record Structural(boolean enabled, double density, double zeta, int rewireEvery, Regrowth regrowth) {
        public enum Regrowth { HEBBIAN, RANDOM }

        public Structural {
            if (!(density > 0 && density <= 1)) {
                throw new IllegalArgumentException("density must be in (0, 1], found " + density);
            }
            if (!(zeta >= 0 && zeta < 1)) {
                throw new IllegalArgumentException("zeta must be in [0, 1), found " + zeta);
            }
            if (rewireEvery < 1) {
                throw new IllegalArgumentException("rewire_every must be >= 1, found " + rewireEvery);
            }
        }
    }

    /** Intrinsic plasticity: each unit's threshold moves so its activity approaches the target. */
    public record Adaptation(boolean enabled, double targetActivity, double thresholdRate) {
        public Adaptation {
            requirePositive("target_activity", targetActivity);
            requireRate("threshold_rate", thresholdRate);
        }
    }

    public record Output(Activation activation, Loss loss) {
    }

    public record Updater(UpdaterName name, double learningRate) {
        public Updater {
            if (!(learningRate > 0 && learningRate <= 10)) {
                throw new IllegalArgumentException("learning_rate must be in (0, 10], found " + learningRate);
            }
        }
    }

    /** Reads the {@code network:} section. */
    public static NetworkConfig read(ConfigSection network) {
        return network.build(() -> new NetworkConfig(
                readNIn(network),
                network.sections("hidden").stream().map(NetworkConfig::readHidden).toList(),
                readOutput(network.section("output")),
                readUpdater(network.section("updater")),
                network.longInteger("seed", 42),
                network.choice("variant", Variant.class, Variant.PLASTIC)));
    }

    private static int readNIn(ConfigSection network) {
        return network.integerOr("n_in", "auto", INFERRED);
    }

    private static HiddenLayer readHidden(ConfigSection layer) {
        return layer.build(() -> new HiddenLayer(
                layer.integer("size"),
                layer.choice("activation", Activation.class, Activation.TANH),
                readPlasticity(layer.section("plasticity"))));
    }

    private static Plasticity readPlasticity(ConfigSection p) {
        return p.build(() -> new Plasticity(
                readHebbian(p.section("hebbian")),
                readScaling(p.section("scaling")),
                readStructural(p.section("structural")),
                readAdaptation(p.section("adaptation")),
                p.number("activity_rate", 0.01)));
    }

    private static Hebbian readHebbian(ConfigSection h) {
        return h.build(() -> new Hebbian(
                h.flag("enabled", false),
                h.choice("rule", Hebbian.Rule.class, Hebbian.Rule.OJA),
                h.number("eta", 0.01),
                h.choice("alpha", Hebbian.AlphaMode.class, Hebbian.AlphaMode.FREE),
                h.number("alpha_init", 0.1)));
    }

    private static Scaling readScaling(ConfigSection s) {
        return s.build(() -> new Scaling(
                s.flag("enabled", false),
                s.number("target_activity", 0.1),
                s.number("rate", 0.01),
                s.number("min", 0.5),
                s.number("max", 2.0)));
    }

    private static Structural readStructural(ConfigSection s) {
        return s.build(() -> new Structural(
                s.flag("enabled", false),
                s.number("density", 0.5),
                s.number("zeta", 0.1),
                s.integer("rewire_every", 50),
                s.choice("regrowth", Structural.Regrowth.class, Structural.Regrowth.HEBBIAN)));
    }

    private static Adaptation readAdaptation(ConfigSection a) {
        return a.build(() -> new Adaptation(
                a.flag("enabled", false),
                a.number("target_activity", 0.1),
                a.number("threshold_rate", 0.01)));
    }

    private static Output readOutput(ConfigSection o) {
        return o.build(() -> new Output(
                o.choice("activation", Activation.class, Activation.IDENTITY),
                o.choice("loss", Loss.class, Loss.MSE)));
    }

    private static Updater readUpdater(ConfigSection u) {
        return u.build(() -> new Updater(
                u.choice("name", UpdaterName.class, UpdaterName.ADAM),
                u.number("learning_rate", 1e-3)));
    }

    private static void requireRate(String key, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(key + " must be in (0, 1], found " + value);
        }
    }

    private static void requirePositive(String key, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(key + " must be a finite number > 0, found " + value);
        }
    }

    private static void requireFinite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number, found " + value);
        }
    }
}
