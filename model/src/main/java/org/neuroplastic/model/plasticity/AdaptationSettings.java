package org.neuroplastic.model.plasticity;

import static org.neuroplastic.model.plasticity.SettingsValidation.finite;
import static org.neuroplastic.model.plasticity.SettingsValidation.positive;
import static org.neuroplastic.model.plasticity.SettingsValidation.unitInterval;

/**
 * Activity-dependent adaptive activation (intrinsic plasticity; Triesch 2005): a per-neuron gain g learned
 * by backprop and a per-neuron threshold theta that slides with the neuron's activity toward a target.
 *
 * @param enabled        whether gain and threshold exist
 * @param targetActivity the activity (mean |y|) the threshold steers toward
 * @param thresholdRate  the threshold's step per training pass, in [0, 1]
 * @param gainInit       the gain's initial value
 */
public record AdaptationSettings(boolean enabled, double targetActivity, double thresholdRate, double gainInit) {

    public AdaptationSettings {
        positive("adaptation.target_activity", targetActivity);
        unitInterval("adaptation.threshold_rate", thresholdRate);
        finite("adaptation.gain_init", gainInit);
    }

    public static AdaptationSettings off() {
        return new AdaptationSettings(false, 0.5, 0.001, 1.0);
    }

    public static AdaptationSettings on(double targetActivity, double thresholdRate) {
        return new AdaptationSettings(true, targetActivity, thresholdRate, 1.0);
    }
}
