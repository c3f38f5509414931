package org.neuroplastic.model.network;

import org.nd4j.linalg.activations.Activation;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Activation names as configurations spell them: DL4J's {@link Activation} names in lower case. */
final class Activations {

    private Activations() {
    }

    static String canonical(String field, String name) {
        return ConfigName.of(of(field, name));
    }

    static Activation of(String field, String name) {
        if (name != null) {
            for (Activation a : Activation.values()) {
                if (a.name().equalsIgnoreCase(name.trim())) {
                    return a;
                }
            }
        }
        String known = Arrays.stream(Activation.values())
                .map(ConfigName::of)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(field + " must be one of " + known + ", found " + name);
    }
}
