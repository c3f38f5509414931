package org.neuroplastic.model.network;

import org.neuroplastic.model.plasticity.PlasticitySettings;

/**
 * One hidden layer.
 *
 * @param size       number of neurons, >= 1
 * @param activation a DL4J activation name, e.g. {@code relu}, {@code tanh}
 * @param plasticity the mechanisms of this layer (ignored by the dense baseline)
 * @param dropout    the probability, in [0, 1), that each of this layer's outputs is dropped from a training
 *                   pass (Srivastava et al. 2014; the survivors are scaled by {@code 1 / (1 - dropout)}, so
 *                   inference uses every output unscaled); 0 is off
 */
public record LayerSpec(int size, String activation, PlasticitySettings plasticity, double dropout) {

    public LayerSpec {
        if (size < 1) {
            throw new IllegalArgumentException("hidden layer size must be >= 1, found " + size);
        }
        activation = Activations.canonical("hidden layer activation", activation);
        if (plasticity == null) {
            throw new IllegalArgumentException("hidden layer plasticity must be given, found null");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("hidden layer dropout must be in [0, 1), found " + dropout);
        }
    }

    /** A layer without dropout. */
    public LayerSpec(int size, String activation, PlasticitySettings plasticity) {
        this(size, activation, plasticity, 0);
    }

    public LayerSpec withSize(int other) {
        return new LayerSpec(other, activation, plasticity, dropout);
    }
}
