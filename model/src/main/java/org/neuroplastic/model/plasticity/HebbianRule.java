package org.neuroplastic.model.plasticity;

import java.util.Locale;

/** How the Hebbian trace H follows the batch-mean correlation of a layer's input and output. */
public enum HebbianRule {
    /** Miconi et al. 2018: {@code H <- (1 - eta) H + eta <x^T y>}, an exponential average of the correlation. */
    DECAY,
    /** Oja 1982: {@code dH_ij = eta <y_j (x_i - H_ij y_j)>}; the {@code -H y^2} term keeps H bounded. */
    OJA;

    /** Parses the configuration spelling ({@code decay}, {@code oja}). */
    public static HebbianRule parse(String field, String value) {
        return Enums.parse(HebbianRule.class, field, value);
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
