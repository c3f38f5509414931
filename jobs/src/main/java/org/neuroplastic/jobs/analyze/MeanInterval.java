package org.neuroplastic.jobs.analyze;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of a small sample (replicas of a setting, or paired differences) with its sample standard deviation
 * and two-sided 95% confidence interval from Student's t distribution:
 * {@code mean ± t(0.975, n − 1) · sd / √n}, with {@code sd = √(Σ (x − mean)² / (n − 1))}. With one value there is
 * no spread to estimate: {@code sd} and the interval are null, never 0 or NaN.
 *
 * @param n      values in the sample, at least 1
 * @param mean   their mean
 * @param sd     sample standard deviation (divisor n − 1); null when n = 1
 * @param ciLow  lower end of the 95% interval; null when n = 1
 * @param ciHigh upper end of the 95% interval; null when n = 1
 */
public record MeanInterval(int n, double mean, Double sd, Double ciLow, Double ciHigh) {

    /** Two-sided coverage of the interval. */
    public static final double CONFIDENCE = 0.95;

    public static MeanInterval of(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("a mean needs at least one value, found none");
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        double mean = sum / n;
        if (n == 1) {
            return new MeanInterval(1, mean, null, null, null);
        }
        // Two passes: the squared deviations from the mean, not Σx² − n·mean², which cancels catastrophically
        // when the spread is small beside the mean (losses of replicas that agree to several digits).
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double halfWidth = tQuantile(n - 1) * sd / Math.sqrt(n);
        return new MeanInterval(n, mean, sd, mean - halfWidth, mean + halfWidth);
    }

    /** {@code t(1 − (1 − CONFIDENCE) / 2, degrees)}: the two-sided quantile, 2.7764 for 4 degrees of freedom. */
    static double tQuantile(int degrees) {
        // No random generator: only the inverse distribution function is used, never sampling.
        return new TDistribution(null, degrees).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    }
}
