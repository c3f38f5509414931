package org.neuroplastic.model.plasticity;

import static org.neuroplastic.model.plasticity.SettingsValidation.present;

/**
 * Structural plasticity (SET, Mocanu et al. 2018; RigL, Evci et al. 2020): a 0/1 connection mask at a
 * fixed density whose weakest connections are pruned and as many others regrown.
 *
 * @param enabled     whether the mask exists and is rewired
 * @param density     the fraction of connections present, in (0, 1]
 * @param zeta        the fraction of present connections pruned at each rewiring, in [0, 1)
 * @param rewireEvery training steps between two rewirings, >= 1
 * @param regrowth    which inactive connections are regrown
 */
public record StructuralSettings(boolean enabled, double density, double zeta, int rewireEvery, Regrowth regrowth) {

    public StructuralSettings {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("structural.density must be in (0, 1], found " + density);
        }
        if (!(zeta >= 0 && zeta < 1)) {
            throw new IllegalArgumentException("structural.zeta must be in [0, 1), found " + zeta);
        }
        if (rewireEvery < 1) {
            throw new IllegalArgumentException("structural.rewire_every must be >= 1, found " + rewireEvery);
        }
        present("structural.regrowth", regrowth, "hebbian, random");
    }

    public StructuralSettings withRegrowth(Regrowth other) {
        return new StructuralSettings(enabled, density, zeta, rewireEvery, other);
    }

    public static StructuralSettings off() {
        return new StructuralSettings(false, 1.0, 0.0, 100, Regrowth.HEBBIAN);
    }

    public static StructuralSettings on(double density, double zeta, int rewireEvery, Regrowth regrowth) {
        return new StructuralSettings(true, density, zeta, rewireEvery, regrowth);
    }
}
