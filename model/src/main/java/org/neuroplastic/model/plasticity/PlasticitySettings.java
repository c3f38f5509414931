package org.neuroplastic.model.plasticity;

import static org.neuroplastic.model.plasticity.SettingsValidation.present;
import static org.neuroplastic.model.plasticity.SettingsValidation.unitInterval;

/**
 * The four plasticity mechanisms of one layer, each switched on or off on its own, the rate of the
 * activity average that synaptic scaling and the adaptive threshold both read, and whether the state keeps
 * moving at inference.
 *
 * @param activityRate the exponential moving average's weight of the newest batch, in [0, 1]
 * @param atInference  whether inference passes update the state too, and what undoes it
 */
public record PlasticitySettings(HebbianSettings hebbian, ScalingSettings scaling, StructuralSettings structural,
                                 AdaptationSettings adaptation, double activityRate, InferencePlasticity atInference) {

    public PlasticitySettings {
        present("hebbian", hebbian, "a mapping");
        present("scaling", scaling, "a mapping");
        present("structural", structural, "a mapping");
        present("adaptation", adaptation, "a mapping");
        unitInterval("activity_rate", activityRate);
        present("at_inference", atInference, "a mapping");
        if (structural.enabled() && structural.regrowth() == Regrowth.HEBBIAN && !hebbian.enabled()) {
            throw new IllegalArgumentException(
                    "structural.regrowth must be random when hebbian.enabled is false (hebbian regrowth reads the trace), found hebbian");
        }
    }

    /** Every mechanism off: the layer computes exactly what DL4J's DenseLayer computes. */
    public static PlasticitySettings off() {
        return new PlasticitySettings(HebbianSettings.off(), ScalingSettings.off(), StructuralSettings.off(),
                AdaptationSettings.off(), 0.01, InferencePlasticity.off());
    }

    /** Whether the layer keeps an activity average: both scaling and the adaptive threshold read it. */
    public boolean tracksActivity() {
        return scaling.enabled() || adaptation.enabled();
    }

    public boolean anyEnabled() {
        return hebbian.enabled() || scaling.enabled() || structural.enabled() || adaptation.enabled();
    }

    public PlasticitySettings withHebbian(HebbianSettings h) {
        return new PlasticitySettings(h, scaling, structural, adaptation, activityRate, atInference);
    }

    public PlasticitySettings withScaling(ScalingSettings s) {
        return new PlasticitySettings(hebbian, s, structural, adaptation, activityRate, atInference);
    }

    public PlasticitySettings withStructural(StructuralSettings s) {
        return new PlasticitySettings(hebbian, scaling, s, adaptation, activityRate, atInference);
    }

    public PlasticitySettings withAdaptation(AdaptationSettings a) {
        return new PlasticitySettings(hebbian, scaling, structural, a, activityRate, atInference);
    }

    public PlasticitySettings withAtInference(InferencePlasticity i) {
        return new PlasticitySettings(hebbian, scaling, structural, adaptation, activityRate, i);
    }

    public PlasticitySettings withActivityRate(double rate) {
        return new PlasticitySettings(hebbian, scaling, structural, adaptation, rate, atInference);
    }
}
