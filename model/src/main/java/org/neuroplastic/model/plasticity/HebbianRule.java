package org.neuroplastic.model.plasticity;

import java.util.Locale;

/** How the Hebbian trace H follows the batch-mean correlation of a layer's input and output. */
public enum HebbianRule {
    /** Miconi et al. 2018: {@code H <- (1 - eta) H + eta <x^T y>}, an exponential average of the correlation. */
    DECAY,
    /**
     * Oja 1982: {@code dH_ij = eta_j <y_j (x_i - H_ij y_j)>} with {@code eta_j = min(eta, 1 / <y_j^2>)}: each step
     * moves H_ij toward {@code <x_i y_j> / <y_j^2>} without passing it, so H stays bounded by the largest such ratio.
     * While {@code eta <y_j^2> <= 1} this is Oja's rule with rate eta exactly.
     */
    OJA;
}
