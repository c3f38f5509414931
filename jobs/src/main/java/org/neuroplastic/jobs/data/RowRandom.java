package org.neuroplastic.jobs.data;

/**
 * A stream of random numbers that is a pure function of {@code (seed, row id)}: SplitMix64 (Steele,
 * Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) seeded by mixing the two.
 * Rows come out the same whatever partition computes them, on any JVM, since nothing here depends on
 * the JDK's generators.
 */
final class RowRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;
    private double spareGaussian = Double.NaN;

    private RowRandom(long state) {
        this.state = state;
    }

    /** The stream of row {@code rowId} of the data set with this {@code seed}. */
    static RowRandom forRow(long seed, long rowId) {
        return new RowRandom(mix(mix(seed) ^ (rowId * GOLDEN_GAMMA + 0x632BE59BD9B4E019L)));
    }

    /** A stream for a data set's own parameters (weights, centroids), apart from every row's. */
    static RowRandom forParameters(long seed) {
        return new RowRandom(mix(seed ^ 0xD1B54A32D192ED03L) + 1);
    }

    /** A stream for task {@code task} of a continual-learning stream, apart from every row's. */
    static RowRandom forTask(long seed, int task) {
        return new RowRandom(mix(mix(seed ^ 0x3C6EF372FE94F82BL) ^ (task * GOLDEN_GAMMA)));
    }

    /** A stream for the examples an online task draws, apart from its permutation's and every row's. */
    static RowRandom forTaskExamples(long seed, int task) {
        return new RowRandom(mix(mix(seed ^ 0x5851F42D4C957F2DL) ^ (task * GOLDEN_GAMMA + 0x14057B7EF767814FL)));
    }

    /** A uniform draw in [0, 1) for {@code (seed, rowId)}: the first draw of the row's stream. */
    static double uniform(long seed, long rowId) {
        return forRow(seed, rowId).nextDouble();
    }

    double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** A standard normal draw by the Box-Muller transform (each call pair shares one transform). */
    double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double value = spareGaussian;
            spareGaussian = Double.NaN;
            return value;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2.0 * Math.PI * u2);
        return radius * Math.cos(2.0 * Math.PI * u2);
    }

    private long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
