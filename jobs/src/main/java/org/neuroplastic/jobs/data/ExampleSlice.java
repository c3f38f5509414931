package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Consecutive examples parsed on the driver, one Spark partition's share: rows {@code firstRowId ..} of
 * the data set, each with its features, label and split, all in task 0. The loader broadcasts the slices
 * and derives its rows from them, one partition per slice, so the two always agree; the slices exist so
 * that minibatches can be cut from the primitive arrays directly (see {@link Minibatches#ofTrain}).
 */
public final class ExampleSlice implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long firstRowId;
    private final float[][] features;
    private final double[] labels;
    private final boolean[] test;

    private ExampleSlice(long firstRowId, float[][] features, double[] labels, boolean[] test) {
        this.firstRowId = firstRowId;
        this.features = features;
        this.labels = labels;
        this.test = test;
    }

    /**
     * Rows {@code 0 .. features.length - 1} cut into {@code slices} contiguous runs, slice s starting at
     * row {@code floor(s * n / slices)}: the boundaries {@code parallelize} gives a list of n rows. The
     * slices share the feature arrays; nothing is copied.
     */
    static List<ExampleSlice> cut(float[][] features, double[] labels, boolean[] test, int slices) {
        int n = features.length;
        List<ExampleSlice> cut = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int start = BroadcastSlices.start(s, n, slices);
            int end = BroadcastSlices.start(s + 1, n, slices);
            float[][] sliceFeatures = new float[end - start][];
            double[] sliceLabels = new double[end - start];
            boolean[] sliceTest = new boolean[end - start];
            System.arraycopy(features, start, sliceFeatures, 0, end - start);
            System.arraycopy(labels, start, sliceLabels, 0, end - start);
            System.arraycopy(test, start, sliceTest, 0, end - start);
            cut.add(new ExampleSlice(start, sliceFeatures, sliceLabels, sliceTest));
        }
        return cut;
    }

    /** The same examples with their features standardized, in new arrays. */
    ExampleSlice standardized(Standardization standardization) {
        float[][] standardized = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            standardized[i] = standardization.apply(features[i]);
        }
        return new ExampleSlice(firstRowId, standardized, labels, test);
    }

    /** The slice's rows of {@link DatasetSchema#SCHEMA}, in order. */
    public Iterator<Row> rows() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < labels.length;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return RowFactory.create(firstRowId + i, features[i], labels[i],
                        test[i] ? DatasetSchema.TEST : DatasetSchema.TRAIN, 0);
            }
        };
    }

    /** The examples of one split, in order, sharing the slice's feature arrays. */
    List<Minibatches.LabeledFeatures> examples(boolean inTest) {
        List<Minibatches.LabeledFeatures> examples = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            if (test[i] == inTest) {
                examples.add(new Minibatches.LabeledFeatures(firstRowId + i, features[i], labels[i]));
            }
        }
        return examples;
    }
}
