package org.neuroplastic.jobs.analyze;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;

/**
 * Which panels of a chart are worth drawing: a panel whose values, over every series drawn in it, do not move
 * tells the reader nothing a sentence cannot, and a mechanism that is off reads as a flat line (a mask density of
 * 1, zero regrowth, a zero threshold). Such a panel is left out and the reason is given instead.
 */
final class PanelSelection {

    /**
     * Spread, relative to {@code max(1, |value|)}, below which a panel counts as constant. The trajectories are
     * float32 network state read into doubles and averaged over workers: a quantity that does not change can
     * still move by a few float32 rounding steps (ε = 1.2e-7) between rounds. 1e-6 is above that noise and far
     * below anything a chart shows: a line's width is about 1e-3 of a panel's height.
     */
    static final double TOLERANCE = 1e-6;

    private PanelSelection() {
    }

    /**
     * Why the panel of {@code column} is left out, or empty when it is drawn.
     *
     * @param series the values of each series of the panel (one per run drawn), nulls already dropped
     */
    static Optional<String> omission(String column, List<double[]> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] values : series) {
            for (double value : values) {
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        if (min > max) {
            return Optional.of(column + " (no values in any run drawn)");
        }
        double scale = Math.max(1, Math.max(Math.abs(min), Math.abs(max)));
        if (max - min <= TOLERANCE * scale) {
            return Optional.of(column + " (constant at " + new BigDecimal(min).round(new MathContext(6)).stripTrailingZeros().toPlainString()
                    + " in every run drawn" + offMechanism(column, min) + ")");
        }
        return Optional.empty();
    }

    /** What a flat value says about the mechanism behind the column, docs/SCHEMA.md section "trajectories". */
    private static String offMechanism(String column, double value) {
        boolean zero = Math.abs(value) <= TOLERANCE;
        return switch (column) {
            case "mask_density" -> Math.abs(value - 1) <= TOLERANCE ? ": no structural plasticity" : "";
            case "regrown" -> zero ? ": no rewiring" : "";
            case "threshold_mean" -> zero ? ": no adaptive threshold" : "";
            case "hebbian_norm" -> zero ? ": no Hebbian trace" : "";
            default -> "";
        };
    }
}
