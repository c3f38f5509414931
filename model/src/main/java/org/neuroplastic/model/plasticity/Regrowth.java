package org.neuroplastic.model.plasticity;

import java.util.Locale;

/** Which inactive connections structural plasticity regrows after a prune. */
public enum Regrowth {
    /** The inactive connections with the largest Hebbian correlation |H| (our rule, in the spirit of RigL). */
    HEBBIAN,
    /** Inactive connections drawn uniformly at random (SET, Mocanu et al. 2018). */
    RANDOM;
}
