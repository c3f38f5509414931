package org.neuroplastic.jobs.sweep;

import java.util.SplittableRandom;

/**
 * A distribution a random sweep draws one parameter's values from. Unlike W&B's {@code log_uniform},
 * whose bounds are natural logarithms, {@code min} and {@code max} are always the values themselves.
 *
 * @param kind {@code uniform} on [min, max), {@code log_uniform} (uniform in log space, min > 0) or
 *             {@code int_uniform} on the integers of [min, max]
 */
public record Distribution(Kind kind, double min, double max) {

    public enum Kind { UNIFORM, LOG_UNIFORM, INT_UNIFORM }

    private static final double EXACT_INTEGERS = 9_007_199_254_740_992.0;

    public Distribution {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("min and max must be finite numbers, found " + min + " and " + max);
        }
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, found min " + min + " > max " + max);
        }
        if (kind == Kind.LOG_UNIFORM && min <= 0) {
            throw new IllegalArgumentException("min must be > 0 for log_uniform, found " + min);
        }
        if (kind == Kind.INT_UNIFORM && (Math.rint(min) != min || Math.rint(max) != max)) {
            throw new IllegalArgumentException("min and max must be integers for int_uniform, found " + min + " and " + max);
        }
        // Beyond 2^53 a double no longer holds every integer, and the draw's bound max + 1 would overflow a long.
        if (kind == Kind.INT_UNIFORM && (Math.abs(min) > EXACT_INTEGERS || Math.abs(max) > EXACT_INTEGERS)) {
            throw new IllegalArgumentException("min and max must be integers in [-2^53, 2^53] for int_uniform, found "
                    + min + " and " + max);
        }
        if (kind == Kind.UNIFORM && !Double.isFinite(max - min)) {
            throw new IllegalArgumentException("max - min must be a finite number for uniform, found " + min + " and " + max);
        }
    }

    /** One draw, as the YAML (JSON) text of the value. */
    public String sample(SplittableRandom random) {
        return switch (kind) {
            case UNIFORM -> Double.toString(min + random.nextDouble() * (max - min));
            case LOG_UNIFORM -> Double.toString(
                    Math.min(max, Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)))));
            case INT_UNIFORM -> Long.toString(random.nextLong((long) min, (long) max + 1));
        };
    }
}
