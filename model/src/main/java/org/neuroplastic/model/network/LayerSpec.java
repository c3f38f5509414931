package org.neuroplastic.model.network;

import org.neuroplastic.model.plasticity.PlasticitySettings;

/**
 * One hidden layer.
 *
 * @param size       number of neurons, >= 1
 * @param activation a DL4J activation name, e.g. {@code relu}, {@code tanh}
 * @param plasticity the mechanisms of this layer (ignored by the dense baseline)
 */
public record LayerSpec(int size, String activation, PlasticitySettings plasticity) {

    public LayerSpec {
        if (size < 1) {
            throw new IllegalArgumentException("hidden layer size must be >= 1, found " + size);
        }
        activation = Activations.canonical("hidden layer activation", activation);
        if (plasticity == null) {
            throw new IllegalArgumentException("hidden layer plasticity must be given, found null");
        }
    }
}
