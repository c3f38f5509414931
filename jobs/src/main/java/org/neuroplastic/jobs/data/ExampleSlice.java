package org.neuroplastic.jobs.data;

import org.apache.spark.Partitioner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.LongPredicate;

/**
 * Consecutive examples of a data set read from files, one Spark partition's share: rows
 * {@code firstRowId ..}, each with its features, label and split, all in task 0. The loader builds one
 * slice per partition on the executors and derives its rows from them, so the two always agree; the
 * slices exist so that minibatches can be cut from the primitive arrays directly (see
 * {@link Minibatches#ofTrain}).
 */
public final class ExampleSlice implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long firstRowId;
    private final float[][] features;
    private final double[] labels;
    private final boolean[] test;
    /** Which training rows are validation rows ({@code data.validation_fraction}); null when none are. */
    private final boolean[] validation;

    private ExampleSlice(long firstRowId, float[][] features, double[] labels, boolean[] test, boolean[] validation) {
        this.firstRowId = firstRowId;
        this.features = features;
        this.labels = labels;
        this.test = test;
        this.validation = validation;
    }

    /**
     * The slice {@code slice} of {@code boundaries}, from its rows in row id order; {@code inTest} says
     * which rows are held out.
     */
    static ExampleSlice of(Boundaries boundaries, int slice, Iterator<Tuple2<Long, Example>> rows, LongPredicate inTest) {
        long first = boundaries.start(slice);
        int n = (int) (boundaries.start(slice + 1) - first);
        float[][] features = new float[n][];
        double[] labels = new double[n];
        boolean[] test = new boolean[n];
        int i = 0;
        while (rows.hasNext()) {
            Tuple2<Long, Example> row = rows.next();
            if (i >= n || row._1() != first + i) {
                throw new IllegalStateException("slice " + slice + " expected row_id " + (first + i) + " of rows "
                        + first + " .. " + (first + n - 1) + ", found " + row._1());
            }
            features[i] = row._2().features();
            labels[i] = row._2().label();
            test[i] = inTest.test(row._1());
            i++;
        }
        if (i != n) {
            throw new IllegalStateException("slice " + slice + " holds " + i + " rows, expected " + n);
        }
        return new ExampleSlice(first, features, labels, test, null);
    }

    /** The same examples, the training rows {@code inValidation} accepts moved to the validation split. */
    ExampleSlice withValidation(LongPredicate inValidation) {
        boolean[] carved = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            carved[i] = !test[i] && inValidation.test(firstRowId + i);
        }
        return new ExampleSlice(firstRowId, features, labels, test, carved);
    }

    /** Rows in the validation split. */
    long validationRows() {
        long rows = 0;
        for (int i = 0; validation != null && i < labels.length; i++) {
            rows += validation[i] ? 1 : 0;
        }
        return rows;
    }

    private String split(int i) {
        return test[i] ? DatasetSchema.TEST : validation != null && validation[i] ? DatasetSchema.VALIDATION
                : DatasetSchema.TRAIN;
    }

    /**
     * Rows {@code 0 .. rows - 1} cut into {@code slices} contiguous runs, slice s starting at row
     * {@code floor(s * rows / slices)}, the boundaries {@code parallelize} gives a list of that many rows:
     * partitions, and the minibatches cut from them, then depend on the row count alone, never on how the
     * files were cut into ranges. As a partitioner it sends each row id to its slice.
     */
    static final class Boundaries extends Partitioner {
        private static final long serialVersionUID = 1L;

        private final long rows;
        private final int slices;

        Boundaries(long rows, int slices) {
            if (rows < 0 || slices < 1) {
                throw new IllegalArgumentException("cannot cut " + rows + " rows into " + slices + " slices");
            }
            this.rows = rows;
            this.slices = slices;
        }

        long start(int slice) {
            return slice * rows / slices;
        }

        @Override
        public int numPartitions() {
            return slices;
        }

        /** The slice s with start(s) <= rowId < start(s + 1): s = ceil((rowId + 1) * slices / rows) - 1. */
        @Override
        public int getPartition(Object key) {
            long rowId = (Long) key;
            return (int) (((rowId + 1) * slices + rows - 1) / rows - 1);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Boundaries that && rows == that.rows && slices == that.slices;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(rows) * 31 + slices;
        }
    }

    /** The same examples with their features standardized, in new arrays. */
    ExampleSlice standardized(Standardization standardization) {
        float[][] standardized = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            standardized[i] = standardization.apply(features[i]);
        }
        return new ExampleSlice(firstRowId, standardized, labels, test, validation);
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
                return RowFactory.create(firstRowId + i, features[i], labels[i], split(i), 0);
            }
        };
    }

    /** The examples of {@code split} ({@link DatasetSchema}'s names), in order, sharing the slice's feature arrays. */
    List<Minibatches.LabeledFeatures> examples(String split) {
        List<Minibatches.LabeledFeatures> examples = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            if (split(i).equals(split)) {
                examples.add(new Minibatches.LabeledFeatures(firstRowId + i, features[i], labels[i]));
            }
        }
        return examples;
    }
}
