package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;

/**
 * Per-feature statistics of a data set's training split, and the standardization they define:
 * {@code x' = (x - mean) / std}, or {@code x - mean} where {@code std} is 0 (a constant feature is only
 * centred: dividing by 0 would make every value NaN). {@code std} is the population standard deviation
 * (divisor {@code n}), as scikit-learn's {@code StandardScaler} takes it. Held-out rows are standardized
 * with the training split's statistics and never contribute to them, so nothing of the test split leaks
 * into training.
 * <p>
 * Arithmetic is in double precision and rounded to float once, the same in {@link #apply(float[])} and in
 * {@link #apply(Column)}, so rows and slices of one data set always agree bit for bit.
 */
public final class Standardization implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long trainingRows;
    private final double[] mean;
    private final double[] std;

    private Standardization(long trainingRows, double[] mean, double[] std) {
        this.trainingRows = trainingRows;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Statistics as recorded with a run (docs/SCHEMA.md, "standardization").
     *
     * @throws IllegalArgumentException when the arrays differ in length, a mean is not finite or a standard
     *                                  deviation is negative or not finite
     */
    public static Standardization of(long trainingRows, double[] mean, double[] std) {
        if (trainingRows < 1) {
            throw new IllegalArgumentException("training_rows must be >= 1, found " + trainingRows);
        }
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std must have one entry per feature, found " + mean.length
                    + " and " + std.length);
        }
        for (int f = 0; f < mean.length; f++) {
            if (!Double.isFinite(mean[f]) || !Double.isFinite(std[f]) || std[f] < 0) {
                throw new IllegalArgumentException("feature " + f + " must have a finite mean and a finite std >= 0, found "
                        + mean[f] + " and " + std[f]);
            }
        }
        return new Standardization(trainingRows, mean.clone(), std.clone());
    }

    /**
     * The statistics of {@code data}'s training split, computed on the executors: each partition reduces
     * its rows to counts, means and sums of squared deviations, and the driver merges those summaries (one
     * per partition, a few numbers per feature) in partition order, so the result is the same on every
     * run over the same partitions.
     */
    public static Standardization of(LoadedDataset data) {
        int features = data.features();
        List<FeatureMoments> partials = Minibatches.labeledFeatures(data.train()).javaRDD()
                .mapPartitions(rows -> {
                    FeatureMoments moments = new FeatureMoments(features);
                    rows.forEachRemaining(row -> moments.add(row.getFeatures()));
                    return List.of(moments).iterator();
                })
                .collect();
        FeatureMoments total = new FeatureMoments(features);
        for (FeatureMoments partial : partials) {
            total.merge(partial);
        }
        return total.standardization();
    }

    public int features() {
        return mean.length;
    }

    /** Rows of the training split the statistics were computed over. */
    public long trainingRows() {
        return trainingRows;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** One example's features standardized, as a new array. */
    public float[] apply(float[] features) {
        if (features.length != mean.length) {
            throw new IllegalArgumentException("expected " + mean.length + " features, found " + features.length);
        }
        float[] standardized = new float[features.length];
        for (int f = 0; f < features.length; f++) {
            standardized[f] = (float) ((features[f] - mean[f]) / divisor(f));
        }
        return standardized;
    }

    /** The same standardization as a column expression over an {@code array<float>} column. */
    public Column apply(Column features) {
        double[] divisors = new double[std.length];
        for (int f = 0; f < std.length; f++) {
            divisors[f] = divisor(f);
        }
        Column means = lit(mean);
        Column scales = lit(divisors);
        return transform(features, (x, i) -> x.cast(DataTypes.DoubleType).minus(means.apply(i))
                .divide(scales.apply(i)).cast(DataTypes.FloatType));
    }

    private double divisor(int feature) {
        return std[feature] == 0 ? 1 : std[feature];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Standardization that && trainingRows == that.trainingRows
                && Arrays.equals(mean, that.mean) && Arrays.equals(std, that.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(trainingRows) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardization[" + trainingRows + " rows, mean=" + Arrays.toString(mean) + ", std="
                + Arrays.toString(std) + "]";
    }

    /**
     * Counts, means and sums of squared deviations of one group of rows, merged by Chan, Golub and LeVeque's
     * pairwise update ("Algorithms for computing the sample variance", 1983) and accumulated by Welford's:
     * both stay accurate where the textbook sum of squares cancels catastrophically (features near 2,500
     * with a spread of a few units).
     */
    static final class FeatureMoments implements Serializable {
        private static final long serialVersionUID = 1L;

        private long count;
        private final double[] mean;
        private final double[] m2;

        FeatureMoments(int features) {
            this.mean = new double[features];
            this.m2 = new double[features];
        }

        void add(float[] features) {
            count++;
            for (int f = 0; f < mean.length; f++) {
                double delta = features[f] - mean[f];
                mean[f] += delta / count;
                m2[f] += delta * (features[f] - mean[f]);
            }
        }

        void merge(FeatureMoments other) {
            if (other.count == 0) {
                return;
            }
            long merged = count + other.count;
            for (int f = 0; f < mean.length; f++) {
                double delta = other.mean[f] - mean[f];
                mean[f] += delta * other.count / merged;
                m2[f] += other.m2[f] + delta * delta * ((double) count * other.count / merged);
            }
            count = merged;
        }

        Standardization standardization() {
            double[] std = new double[m2.length];
            for (int f = 0; f < std.length; f++) {
                std[f] = Math.sqrt(Math.max(0, m2[f]) / count);
            }
            return of(count, mean, std);
        }
    }
}
