package org.neuroplastic.bench;

import java.util.Arrays;

/**
 * The first quartile, median and third quartile of a sample, each interpolated linearly between the two
 * nearest order statistics at position p (n - 1) (Hyndman and Fan's type 7, numpy's and R's default).
 */
record Quartiles(double q1, double median, double q3) {

    static Quartiles of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quartiles of an empty sample");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Quartiles(quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75));
    }

    private static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
