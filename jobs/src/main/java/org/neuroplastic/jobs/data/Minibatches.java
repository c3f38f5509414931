package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.model.network.StepSeed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;

/**
 * Turns rows of {@link DatasetSchema#SCHEMA} into Deeplearning4j {@link DataSet}s: float32 features of
 * shape {@code [n, features]}; labels one-hot of shape {@code [n, classes]} for classification, or the
 * value in a {@code [n, 1]} column for regression. Rows keep their order within each partition.
 */
public final class Minibatches {

    /** Sets a joint stream's shuffle apart from every other stream drawn from the run's seed. */
    private static final long JOINT_SALT = 0x3C6EF372FE94F82BL;

    private Minibatches() {
    }

    /** The rows as DataSets of at most {@code batchSize} examples, built on the executors. */
    public static JavaRDD<DataSet> of(Dataset<Row> rows, int features, Target target, int batchSize) {
        return labeledFeatures(rows).javaRDD().mapPartitions(new Batching(features, target, batchSize));
    }

    /** The rows' ids, features and labels, read through a bean encoder. */
    static Dataset<LabeledFeatures> labeledFeatures(Dataset<Row> rows) {
        // A bean encoder reads the features as a float[] straight from Spark's binary rows; a Row would
        // box every value.
        return rows.select(col(DatasetSchema.ROW_ID).as("rowId"), col(DatasetSchema.FEATURES).as("features"),
                        col(DatasetSchema.LABEL).as("label"))
                .as(Encoders.bean(LabeledFeatures.class));
    }

    /**
     * The data set's train split as minibatches: the same DataSets, in the same partitions, as
     * {@code of(data.train(), ...)}. Data read from files is cut from its {@link ExampleSlice}s
     * directly, which skips Spark SQL's conversion of every row to its binary form and back: most of
     * the time of building minibatches from such data.
     */
    public static JavaRDD<DataSet> ofTrain(LoadedDataset data, int batchSize) {
        return ofSplit(data, DatasetSchema.TRAIN, batchSize);
    }

    /** The data set's test split as minibatches, as {@link #ofTrain} makes the train split's. */
    public static JavaRDD<DataSet> ofTest(LoadedDataset data, int batchSize) {
        return ofSplit(data, DatasetSchema.TEST, batchSize);
    }

    /** The data set's validation split as minibatches, as {@link #ofTrain} makes the train split's. */
    public static JavaRDD<DataSet> ofValidation(LoadedDataset data, int batchSize) {
        return ofSplit(data, DatasetSchema.VALIDATION, batchSize);
    }

    /** The data set's rows of {@code split} as minibatches, as {@link #ofTrain} makes the train split's. */
    static JavaRDD<DataSet> ofSplit(LoadedDataset data, String split, int batchSize) {
        if (data.slices() == null) {
            Dataset<Row> rows = split.equals(DatasetSchema.TEST) ? data.test()
                    : split.equals(DatasetSchema.VALIDATION) ? data.validation() : data.train();
            return of(rows, data.features(), data.target(), batchSize);
        }
        return ofSlices(data, split, null, null, batchSize);
    }

    /**
     * The rows of {@code split} of file data that {@code kept} keeps (every row when null), each with its features
     * reordered by {@code order} when it is not null (position i takes feature {@code order[i]}), as minibatches
     * cut from the data's {@link ExampleSlice}s where they are: the same DataSets, in the same partitions, as the
     * rows filtered and reordered by Spark SQL give to {@link #of}, without its conversion of every row of the
     * data set (a continual stream's task, read once per task and split; an online task's draw).
     */
    static JavaRDD<DataSet> ofSlices(LoadedDataset data, String split, ExampleFilter kept, int[] order, int batchSize) {
        if (data.slices() == null) {
            throw new IllegalArgumentException(data.source() + " has no example slices");
        }
        Batching batching = new Batching(data.features(), data.target(), batchSize);
        return data.slices().mapPartitions(slices -> {
            List<LabeledFeatures> examples = new ArrayList<>();
            while (slices.hasNext()) {
                for (LabeledFeatures example : slices.next().examples(split)) {
                    if (kept == null || kept.keeps(example)) {
                        examples.add(order == null ? example : reordered(example, order));
                    }
                }
            }
            return batching.call(examples.iterator());
        });
    }

    /** Which examples a cut from the slices keeps: a split task's classes, an online task's drawn rows. */
    @FunctionalInterface
    interface ExampleFilter extends Serializable {
        boolean keeps(LabeledFeatures example);
    }

    private static LabeledFeatures reordered(LabeledFeatures example, int[] order) {
        float[] values = example.getFeatures();
        float[] reordered = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            reordered[i] = values[order[i]];
        }
        return new LabeledFeatures(example.getRowId(), reordered, example.getLabel());
    }

    /**
     * The rows as minibatches of their copies: one copy of each row when {@code orders} is null, otherwise one
     * per order, copy c taking feature {@code orders[c][i]} at position i. Within each partition the copies
     * are shuffled (Fisher-Yates) from {@code seed} and the partition's index, so the result depends on the
     * rows and the seed alone. A partition's rows are held in memory while it is cut.
     */
    public static JavaRDD<DataSet> shuffledCopies(Dataset<Row> rows, int features, Target target, int batchSize,
                                                  int[][] orders, long seed) {
        Batching batching = new Batching(features, target, batchSize);
        int copies = orders == null ? 1 : orders.length;
        return labeledFeatures(rows).javaRDD().mapPartitionsWithIndex((Integer partition, Iterator<LabeledFeatures> it) -> {
            List<LabeledFeatures> source = new ArrayList<>();
            it.forEachRemaining(source::add);
            int[] order = new int[source.size() * copies];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(StepSeed.of(seed ^ JOINT_SALT, 0, partition));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swapped = order[i];
                order[i] = order[j];
                order[j] = swapped;
            }
            List<LabeledFeatures> shuffled = new ArrayList<>(order.length);
            for (int k : order) {
                LabeledFeatures row = source.get(k / copies);
                if (orders == null) {
                    shuffled.add(row);
                } else {
                    int[] copyOrder = orders[k % copies];
                    float[] values = row.getFeatures();
                    float[] reordered = new float[copyOrder.length];
                    for (int i = 0; i < copyOrder.length; i++) {
                        reordered[i] = values[copyOrder[i]];
                    }
                    shuffled.add(new LabeledFeatures(row.getRowId(), reordered, row.getLabel()));
                }
            }
            return batching.call(shuffled.iterator());
        }, true);
    }

    /** One DataSet holding every example of {@code examples}. */
    public static DataSet toDataSet(List<LabeledFeatures> examples, int features, Target target) {
        int n = examples.size();
        int outputs = target.outputs();
        float[] x = new float[n * features];
        float[] y = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            LabeledFeatures example = examples.get(i);
            float[] values = example.getFeatures();
            if (values.length != features) {
                throw new IllegalArgumentException("row_id " + example.getRowId() + " has " + values.length
                        + " features, expected " + features);
            }
            System.arraycopy(values, 0, x, i * features, features);
            double label = example.getLabel();
            if (target.isClassification()) {
                y[i * outputs + (int) label] = 1f;
            } else {
                y[i] = (float) label;
            }
        }
        return new DataSet(floats(x, n, features), floats(y, n, outputs));
    }

    /** Nd4j.create(float[], ...) copies element by element through an indexer; one bulk copy instead. */
    private static INDArray floats(float[] values, long rows, long columns) {
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, columns}, 'c');
        Vectors.set(array, values);
        return array;
    }

    /** One example as the bean encoder reads it. */
    public static final class LabeledFeatures implements Serializable {
        private static final long serialVersionUID = 1L;
        private long rowId;
        private float[] features;
        private double label;

        public LabeledFeatures() {
        }

        public LabeledFeatures(long rowId, float[] features, double label) {
            this.rowId = rowId;
            this.features = features;
            this.label = label;
        }

        public long getRowId() {
            return rowId;
        }

        public void setRowId(long rowId) {
            this.rowId = rowId;
        }

        public float[] getFeatures() {
            return features;
        }

        public void setFeatures(float[] features) {
            this.features = features;
        }

        public double getLabel() {
            return label;
        }

        public void setLabel(double label) {
            this.label = label;
        }
    }

    private record Batching(int features, Target target, int batchSize)
            implements FlatMapFunction<Iterator<LabeledFeatures>, DataSet> {
        Batching {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
            }
        }

        @Override
        public Iterator<DataSet> call(Iterator<LabeledFeatures> rows) {
            List<DataSet> batches = new ArrayList<>();
            List<LabeledFeatures> pending = new ArrayList<>(batchSize);
            while (rows.hasNext()) {
                pending.add(rows.next());
                if (pending.size() == batchSize) {
                    batches.add(toDataSet(pending, features, target));
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                batches.add(toDataSet(pending, features, target));
            }
            return batches.iterator();
        }
    }
}
