package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.Target;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns rows of {@link DatasetSchema#SCHEMA} into Deeplearning4j {@link DataSet}s: float32 features of
 * shape {@code [n, features]}; labels one-hot of shape {@code [n, classes]} for classification, or the
 * value in a {@code [n, 1]} column for regression. Rows keep their order within each partition.
 */
public final class Minibatches {

    private Minibatches() {
    }

    /** The rows as DataSets of at most {@code batchSize} examples, built on the executors. */
    public static JavaRDD<DataSet> of(Dataset<Row> rows, int features, Target target, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        Dataset<Row> ordered = rows.select(DatasetSchema.ROW_ID, DatasetSchema.FEATURES, DatasetSchema.LABEL);
        return ordered.javaRDD().mapPartitions(new Batching(features, target, batchSize));
    }

    /** One DataSet holding every row of {@code rows}, whose first three columns are row_id, features, label. */
    public static DataSet toDataSet(List<Row> rows, int features, Target target) {
        int n = rows.size();
        int outputs = target.outputs();
        float[] x = new float[n * features];
        float[] y = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            List<Float> values = row.getList(1);
            if (values.size() != features) {
                throw new IllegalArgumentException("row_id " + row.getLong(0) + " has " + values.size()
                        + " features, expected " + features);
            }
            for (int j = 0; j < features; j++) {
                x[i * features + j] = values.get(j);
            }
            double label = row.getDouble(2);
            if (target.isClassification()) {
                y[i * outputs + (int) label] = 1f;
            } else {
                y[i] = (float) label;
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {n, features}, 'c'), Nd4j.create(y, new long[] {n, outputs}, 'c'));
    }

    private record Batching(int features, Target target, int batchSize) implements FlatMapFunction<Iterator<Row>, DataSet> {
        @Override
        public Iterator<DataSet> call(Iterator<Row> rows) {
            List<DataSet> batches = new ArrayList<>();
            List<Row> pending = new ArrayList<>(batchSize);
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
