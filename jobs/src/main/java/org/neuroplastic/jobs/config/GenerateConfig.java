package org.neuroplastic.jobs.config;

import java.io.Serializable;

/**
 * A synthetic data set: the whole configuration of the {@code generate} job, and the {@code data:}
 * section of a train job with {@code format: synthetic}. Every row is a function of
 * {@code (seed, row_id)} alone, so the data set does not depend on the partition count.
 *
 * @param generator       which generator (see docs/SCHEMA.md for the formulas)
 * @param rows            rows in the data set, both splits together
 * @param partitions      Spark partitions the rows are generated in (and files written)
 * @param seed            the seed every row and the generator's parameters derive from
 * @param testFraction    expected fraction of rows in the test split
 * @param task            continual-learning task id written to every row (0 outside continual learning)
 * @param features        features per row
 * @param noiseStd        standard deviation of the noise: the regression target's, or each class's spread
 * @param signalVariance  regression only: |w|^2, the variance the features explain in the target
 * @param classes         classification only: number of classes
 * @param classSeparation classification only: standard deviation of the class centroids
 */
public record GenerateConfig(Generator generator, long rows, int partitions, long seed, double testFraction,
                             int task, int features, double noiseStd, double signalVariance, int classes,
                             double classSeparation) implements Serializable {

    public enum Generator { REGRESSION, CLASSIFICATION }

    /** The reference's synthetic regression: 10 features, |w|^2 = 120, unit noise, so Var(y) = 121. */
    public static final int REGRESSION_FEATURES = 10;
    public static final double REGRESSION_SIGNAL_VARIANCE = 120.0;
    private static final int CLASSIFICATION_FEATURES = 10;
    private static final double DEFAULT_NOISE_STD = 1.0;
    private static final int DEFAULT_CLASSES = 3;
    private static final double DEFAULT_CLASS_SEPARATION = 3.0;

    /**
     * A billion rows of the default 10 features is about 50 GB of Parquet: more is a typo (10^12 rows would
     * fill the disk for days before failing).
     */
    public static final long MAX_ROWS = 1_000_000_000L;

    /** One Spark task per partition; more than this schedules tasks that each write next to nothing. */
    public static final int MAX_PARTITIONS = 100_000;

    public GenerateConfig {
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("rows must be in [1, " + MAX_ROWS + "], found " + rows);
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be in [1, " + MAX_PARTITIONS + "], found " + partitions);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test_fraction must be in [0, 1), found " + testFraction);
        }
        if (task < 0) {
            throw new IllegalArgumentException("task must be >= 0, found " + task);
        }
        if (features < 1 || features > DataSource.MAX_FEATURES) {
            throw new IllegalArgumentException("features must be in [1, " + DataSource.MAX_FEATURES + "], found " + features);
        }
        if (!(noiseStd >= 0 && Double.isFinite(noiseStd))) {
            throw new IllegalArgumentException("noise_std must be a finite number >= 0, found " + noiseStd);
        }
        if (generator == Generator.REGRESSION && !(signalVariance >= 0 && Double.isFinite(signalVariance))) {
            throw new IllegalArgumentException("signal_variance must be a finite number >= 0, found " + signalVariance);
        }
        if (generator == Generator.CLASSIFICATION) {
            if (classes < 2) {
                throw new IllegalArgumentException("classes must be >= 2, found " + classes);
            }
            if (!(classSeparation > 0 && Double.isFinite(classSeparation))) {
                throw new IllegalArgumentException("class_separation must be a finite number > 0, found "
                        + classSeparation);
            }
        }
    }

    /** The reference's regression of {@code rows} rows, every other key at the default {@link #read} gives it. */
    public static GenerateConfig regression(long rows, int partitions, long seed, double testFraction) {
        return new GenerateConfig(Generator.REGRESSION, rows, partitions, seed, testFraction, 0, REGRESSION_FEATURES,
                DEFAULT_NOISE_STD, REGRESSION_SIGNAL_VARIANCE, 0, 0);
    }

    /** Classification of {@code rows} rows, every other key at the default {@link #read} gives it. */
    public static GenerateConfig classification(long rows, int partitions, long seed, double testFraction) {
        return new GenerateConfig(Generator.CLASSIFICATION, rows, partitions, seed, testFraction, 0,
                CLASSIFICATION_FEATURES, DEFAULT_NOISE_STD, 0, DEFAULT_CLASSES, DEFAULT_CLASS_SEPARATION);
    }

    // With-methods keep every other key (issue 18); GenerateConfigTest checks them.

    public GenerateConfig withTask(int other) {
        return new GenerateConfig(generator, rows, partitions, seed, testFraction, other, features, noiseStd,
                signalVariance, classes, classSeparation);
    }

    public GenerateConfig withFeatures(int other) {
        return new GenerateConfig(generator, rows, partitions, seed, testFraction, task, other, noiseStd,
                signalVariance, classes, classSeparation);
    }

    public GenerateConfig withClasses(int other) {
        return new GenerateConfig(generator, rows, partitions, seed, testFraction, task, features, noiseStd,
                signalVariance, other, classSeparation);
    }

    public GenerateConfig withClassSeparation(double other) {
        return new GenerateConfig(generator, rows, partitions, seed, testFraction, task, features, noiseStd,
                signalVariance, classes, other);
    }

    /** The label space of the rows this generator writes. */
    public Target target() {
        return generator == Generator.REGRESSION ? Target.regression() : Target.classification(classes);
    }

    /** Reads a generator's keys from {@code section}; keys of the other generator are rejected. */
    public static GenerateConfig read(ConfigSection section) {
        return section.build(() -> {
            Generator generator = section.choice("generator", Generator.class);
            long rows = section.longInteger("rows", 10_000);
            int partitions = section.integer("partitions", 4);
            long seed = section.longInteger("seed", 42);
            double testFraction = section.number("test_fraction", 0.2);
            int task = section.integer("task", 0);
            if (generator == Generator.REGRESSION) {
                return new GenerateConfig(generator, rows, partitions, seed, testFraction, task,
                        section.integer("features", REGRESSION_FEATURES),
                        section.number("noise_std", DEFAULT_NOISE_STD),
                        section.number("signal_variance", REGRESSION_SIGNAL_VARIANCE),
                        0, 0);
            }
            return new GenerateConfig(generator, rows, partitions, seed, testFraction, task,
                    section.integer("features", CLASSIFICATION_FEATURES),
                    section.number("noise_std", DEFAULT_NOISE_STD),
                    0,
                    section.integer("classes", DEFAULT_CLASSES),
                    section.number("class_separation", DEFAULT_CLASS_SEPARATION));
        });
    }
}
