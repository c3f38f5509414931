package org.neuroplastic.bench;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;

/**
 * The fashion-mnist benchmark's MLlib side: its curve from warm-started chunks, then the uninterrupted fits
 * that find the fewest iterations at which MLlib reaches the target (why: {@link FashionMnistBenchmark}).
 */
final class MllibCurve {

    static final String MLLIB = "mllib";

    private final AccuracyCurves curves;
    private final double target;
    private final int mllibIterations;
    private final int mllibChunk;
    private final boolean mllibConfirm;
    private final int mllibResolution;

    MllibCurve(AccuracyCurves curves, double target, int iterations, int chunk, boolean confirm, int resolution) {
        this.curves = curves;
        this.target = target;
        this.mllibIterations = iterations;
        this.mllibChunk = chunk;
        this.mllibConfirm = confirm;
        this.mllibResolution = resolution;
    }

    /** An uninterrupted MLlib fit: the iterations asked for and run (fewer once L-BFGS converges). */
    record Confirmation(int iterations, int iterationsRun, double seconds, double accuracy) {
    }

    /** The chunked curve, recorded into the curves, then the uninterrupted fits when asked; null without them. */
    Confirmation measure(SparkSession spark, LoadedDataset data, int[] layers, long seed) {
        int partitions = spark.sparkContext().defaultParallelism();
        Dataset<Row> test = vectors(data.test(), partitions);
        // The conversion from the loader's rows to MLlib's vectors is on the clock, as the conversion to
        // minibatches is in our first epoch.
        long preparation = System.nanoTime();
        Dataset<Row> train = vectors(data.train(), partitions);
        double seconds = (System.nanoTime() - preparation) / 1e9;
        MultilayerPerceptronClassificationModel model = null;
        int iterations = 0;
        Integer atTarget = null;
        int belowTarget = 0;
        while (iterations < mllibIterations) {
            int chunk = Math.min(mllibChunk, mllibIterations - iterations);
            MultilayerPerceptronClassifier classifier = new MultilayerPerceptronClassifier().setLayers(layers)
                    .setSeed(seed).setMaxIter(chunk);
            if (model != null) {
                classifier.setInitialWeights(model.weights());
            }
            long start = System.nanoTime();
            model = classifier.fit(train);
            seconds += (System.nanoTime() - start) / 1e9;
            int done = model.summary().totalIterations();
            iterations += done;
            double value = testAccuracy(model, test);
            curves.record(new AccuracyCurves.Point(MLLIB, "iter " + iterations, seconds, value));
            if (value >= target && atTarget == null) {
                atTarget = iterations;
            } else if (atTarget == null) {
                belowTarget = iterations;
            }
            if (done < chunk) {
                break;
            }
        }
        train.unpersist(true);
        Confirmation confirmation = null;
        if (mllibConfirm && atTarget != null) {
            confirmation = uninterrupted(data, layers, seed, atTarget, test, partitions);
            if (confirmation.accuracy() >= target) {
                confirmation = earliestUninterrupted(data, layers, seed, belowTarget, confirmation, test, partitions);
            }
        }
        test.unpersist();
        return confirmation;
    }

    /**
     * Narrows MLlib's time to the target to {@code --mllib-resolution} iterations: the chunked curve only
     * brackets it within a chunk, whose length would otherwise count against MLlib. Uninterrupted fits
     * (each from the same seed, so each is the prefix of a longer one) are bisected between the last
     * chunk below the target and {@code reached}, assuming the accuracy crosses the target once there;
     * an uninterrupted fit converges faster than chunks, so the lower end is checked first.
     */
    private Confirmation earliestUninterrupted(LoadedDataset data, int[] layers, long seed, int belowTarget,
                                               Confirmation reached, Dataset<Row> test, int partitions) {
        int below = belowTarget;
        int above = reached.iterations();
        Confirmation earliest = reached;
        if (below > 0 && above - below > mllibResolution) {
            Confirmation low = uninterrupted(data, layers, seed, below, test, partitions);
            if (low.accuracy() >= target) {
                earliest = low;
                above = below;
                below = 0;
            }
        }
        while (above - below > mllibResolution) {
            int middle = below + Math.max(1, (above - below) / 2 / mllibResolution) * mllibResolution;
            Confirmation fit = uninterrupted(data, layers, seed, middle, test, partitions);
            if (fit.accuracy() >= target) {
                earliest = fit;
                above = middle;
            } else {
                below = middle;
            }
        }
        return earliest;
    }

    /** One MLlib fit of {@code iterations} from the seed, timed with its conversion of the training rows. */
    private Confirmation uninterrupted(LoadedDataset data, int[] layers, long seed, int iterations, Dataset<Row> test,
                                       int partitions) {
        MultilayerPerceptronClassifier classifier = new MultilayerPerceptronClassifier().setLayers(layers)
                .setSeed(seed).setMaxIter(iterations);
        long start = System.nanoTime();
        Dataset<Row> train = vectors(data.train(), partitions);
        MultilayerPerceptronClassificationModel model = classifier.fit(train);
        double fit = (System.nanoTime() - start) / 1e9;
        train.unpersist();
        Confirmation confirmation = new Confirmation(iterations, model.summary().totalIterations(), fit,
                testAccuracy(model, test));
        System.out.printf(Locale.ROOT, "%-8s %-12s %9.1f %9.4f  (uninterrupted)%n", MLLIB, "iter "
                + confirmation.iterationsRun(), fit, confirmation.accuracy());
        return confirmation;
    }

    private static double testAccuracy(MultilayerPerceptronClassificationModel model, Dataset<Row> test) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    }

    /** Rows of the loader's schema as MLlib's (features vector, label), cached and spread over the cores. */
    static Dataset<Row> vectors(Dataset<Row> rows, int partitions) {
        Dataset<Row> vectors = rows.select(
                        array_to_vector(col(DatasetSchema.FEATURES).cast("array<double>")).as("features"),
                        col(DatasetSchema.LABEL).as("label"))
                .repartition(partitions)
                .persist(StorageLevel.MEMORY_ONLY());
        vectors.count();
        return vectors;
    }

    /** The layer sizes of MLlib's network of the same architecture as {@code spec}, input first. */
    static int[] layers(NetworkSpec spec) {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(spec.nIn());
        spec.hidden().stream().map(LayerSpec::size).forEach(sizes::add);
        sizes.add(spec.output().size());
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The BLAS MLlib's network layers multiply with: native when a system BLAS loads, else a Java one. */
    static String blas() {
        return org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS().getClass().getName();
    }
}
