package org.neuroplastic.model.network;

import org.neuroplastic.model.plasticity.ContinualBackpropSettings;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A network: input size, hidden layers, output layer, updater and seed, and whether its hidden layers are
 * plastic or the plain dense baseline of the same architecture. The reference's network is
 * {@code new NetworkSpec(10, [32 relu, 16 relu], OutputSpec.regression(), ...)}.
 *
 * @param nIn     number of input features, >= 1
 * @param hidden  the hidden layers, input side first (may be empty)
 * @param output  the output layer
 * @param updater the gradient updater
 * @param seed    seeds weight initialisation, the masks and every rewiring decision
 * @param variant plastic hidden layers, the dense baseline of the same widths, or the dense baseline whose
 *                widths match the plastic network's learned parameters ({@link #builtHidden()})
 * @param weightDecay decoupled weight decay of the learned weights {@code W} of every layer, >= 0 (0 is off);
 *                    each step {@code W -= learningRate * weightDecay * W} after the updater, as AdamW
 *                    (Loshchilov and Hutter 2019). Biases and plastic state are never decayed. With plain SGD
 *                    this is L2 regularization with coefficient {@code weightDecay} on W (PyTorch's
 *                    {@code SGD(weight_decay=weightDecay)} step, there on biases too).
 * @param continualBackprop continual backprop (Dohare et al. 2024) in every hidden layer; needs the plastic
 *                    variant, whose layers keep the utilities and ages
 */
public record NetworkSpec(int nIn, List<LayerSpec> hidden, OutputSpec output, UpdaterSpec updater, long seed,
                          Variant variant, double weightDecay, ContinualBackpropSettings continualBackprop) {

    /** Which layers the hidden layers are. */
    public enum Variant {
        /** PlasticDense hidden layers with each layer's plasticity settings. */
        PLASTIC,
        /** DL4J DenseLayer hidden layers of the same sizes and activations: the baseline. */
        DENSE,
        /**
         * DL4J DenseLayer hidden layers of the same activations, widened so that the network has as many
         * learned parameters as the plastic one ({@link LearnedParameters#matchedWidths}; issue 19).
         */
        DENSE_MATCHED;
    }

    public NetworkSpec {
        if (nIn < 1) {
            throw new IllegalArgumentException("network.n_in must be >= 1, found " + nIn);
        }
        if (hidden == null) {
            throw new IllegalArgumentException("network.hidden must be a list of layers, found null");
        }
        hidden = List.copyOf(hidden);
        if (output == null) {
            throw new IllegalArgumentException("network.output must be given, found null");
        }
        if (updater == null) {
            throw new IllegalArgumentException("network.updater must be given, found null");
        }
        if (variant == null) {
            throw new IllegalArgumentException("network.variant must be one of plastic, dense, dense_matched, found null");
        }
        if (!Double.isFinite(weightDecay) || weightDecay < 0) {
            throw new IllegalArgumentException("network.weight_decay must be a finite number >= 0, found " + weightDecay);
        }
        if (continualBackprop == null) {
            throw new IllegalArgumentException("network.continual_backprop must be given, found null");
        }
        if (continualBackprop.enabled() && variant != Variant.PLASTIC) {
            throw new IllegalArgumentException("network.continual_backprop needs network.variant plastic (its layers "
                    + "keep the units' utilities and ages), found " + ConfigName.of(variant));
        }
    }

    /** A network without weight decay. */
    public NetworkSpec(int nIn, List<LayerSpec> hidden, OutputSpec output, UpdaterSpec updater, long seed,
                       Variant variant) {
        this(nIn, hidden, output, updater, seed, variant, 0, ContinualBackpropSettings.OFF);
    }

    /** The same network with its output cut into {@code heads} heads (see {@link OutputSpec#heads()}). */
    public NetworkSpec withHeads(int heads) {
        return new NetworkSpec(nIn, hidden, output.withHeads(heads), updater, seed, variant, weightDecay,
                continualBackprop);
    }

    /**
     * The same network with another variant: a dense baseline of a plastic network (plain backprop, so
     * without continual backprop), or back.
     */
    public NetworkSpec withVariant(Variant other) {
        return new NetworkSpec(nIn, hidden, output, updater, seed, other, weightDecay,
                other == Variant.PLASTIC ? continualBackprop : ContinualBackpropSettings.OFF);
    }

    /**
     * The hidden layers the network is built with: {@link #hidden()}, except that the parameter-matched
     * baseline's widths are {@link LearnedParameters#matchedWidths}. {@code hidden()} keeps the plastic
     * network's widths, the architecture the baseline is matched to.
     */
    public List<LayerSpec> builtHidden() {
        if (variant != Variant.DENSE_MATCHED) {
            return hidden;
        }
        List<Integer> widths = LearnedParameters.matchedWidths(this);
        return IntStream.range(0, hidden.size()).mapToObj(i -> hidden.get(i).withSize(widths.get(i))).toList();
    }

    public NetworkSpec withWeightDecay(double other) {
        return new NetworkSpec(nIn, hidden, output, updater, seed, variant, other, continualBackprop);
    }

    public NetworkSpec withContinualBackprop(ContinualBackpropSettings other) {
        return new NetworkSpec(nIn, hidden, output, updater, seed, variant, weightDecay, other);
    }

    public NetworkSpec withSeed(long other) {
        return new NetworkSpec(nIn, hidden, output, updater, other, variant, weightDecay, continualBackprop);
    }
}
