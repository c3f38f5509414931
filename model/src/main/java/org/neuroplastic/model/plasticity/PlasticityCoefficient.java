package org.neuroplastic.model.plasticity;

import java.util.Locale;

/** How the plasticity coefficient alpha, which weighs the Hebbian trace in the effective weight, is held. */
public enum PlasticityCoefficient {
    /** One alpha per connection, learned by backprop (Miconi et al. 2018). */
    FREE,
    /** One scalar alpha for the layer, learned by backprop. */
    SHARED,
    /** A constant alpha, not learned (the reference implementation's choice). */
    FIXED;
}
