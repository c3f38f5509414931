package org.neuroplastic.model.plasticity;

import static org.neuroplastic.model.plasticity.SettingsValidation.finite;
import static org.neuroplastic.model.plasticity.SettingsValidation.present;
import static org.neuroplastic.model.plasticity.SettingsValidation.unitInterval;

/**
 * Hebbian learning (Miconi et al. 2018, "Differentiable plasticity"): a trace H of input/output
 * correlation that adds {@code alpha (.) H} to each connection's learned weight.
 *
 * @param enabled     whether the trace exists and is updated
 * @param rule        how H follows the correlation
 * @param eta         the trace's learning rate, in [0, 1] so that the decay rule is a convex combination
 * @param coefficient how alpha is held (per connection, shared, or fixed)
 * @param alphaInit   alpha's initial value (its constant value when fixed)
 */
public record HebbianSettings(boolean enabled, HebbianRule rule, double eta, PlasticityCoefficient coefficient,
                              double alphaInit) {

    public HebbianSettings {
        present("hebbian.rule", rule, "decay, oja");
        unitInterval("hebbian.eta", eta);
        present("hebbian.alpha", coefficient, "free, shared, fixed");
        finite("hebbian.alpha_init", alphaInit);
    }

    public static HebbianSettings off() {
        return new HebbianSettings(false, HebbianRule.OJA, 0.01, PlasticityCoefficient.FREE, 0.01);
    }

    public static HebbianSettings on(HebbianRule rule, double eta, PlasticityCoefficient coefficient, double alphaInit) {
        return new HebbianSettings(true, rule, eta, coefficient, alphaInit);
    }
}
