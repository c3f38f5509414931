package org.neuroplastic.jobs.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.Seq;

/**
 * Turns data set rows into DL4J minibatches: float32 features, and labels one-hot for classification or
 * a single column for regression.
 */
final class Minibatches {

    private Minibatches() {
    }

    /** The rows as minibatches of {@code batchSize}, built on the executors, partition by partition. */
    static JavaRDD<DataSet> distributed(Dataset<Row> rows, int features, Target target, int batchSize) {
        return rows.select(DatasetSchema.FEATURES, DatasetSchema.LABEL)
                .javaRDD()
                .mapPartitions(partition -> batches(partition, features, target, batchSize).iterator(), true);
    }

    /** The rows as minibatches on the driver, for held-out evaluation. */
    static List<DataSet> local(Dataset<Row> rows, int features, Target target, int batchSize) {
        Iterator<Row> it = rows.select(DatasetSchema.FEATURES, DatasetSchema.LABEL)
                .toLocalIterator();
        return batches(it, features, target, batchSize);
    }

    static List<DataSet> batches(Iterator<Row> rows, int features, Target target, int batchSize) {
        List<DataSet> out = new ArrayList<>();
        List<Row> pending = new ArrayList<>(batchSize);
        while (rows.hasNext()) {
            pending.add(rows.next());
            if (pending.size() == batchSize) {
                out.add(toDataSet(pending, features, target));
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            out.add(toDataSet(pending, features, target));
        }
        return out;
    }

    private static DataSet toDataSet(List<Row> rows, int features, Target target) {
        int n = rows.size();
        float[] x = new float[n * features];
        int outputs = target.outputs();
        float[] y = new float[n * outputs];
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r);
            Seq<Object> values = row.getSeq(0);
            for (int f = 0; f < features; f++) {
                x[r * features + f] = ((Number) values.apply(f)).floatValue();
            }
            double label = row.getDouble(1);
            if (target.isClassification()) {
                y[r * outputs + (int) label] = 1f;
            } else {
                y[r] = (float) label;
            }
        }
        INDArray featureArray = Nd4j.create(x, new long[] {n, features}, 'c').castTo(DataType.FLOAT);
        INDArray labelArray = Nd4j.create(y, new long[] {n, outputs}, 'c').castTo(DataType.FLOAT);
        return new DataSet(featureArray, labelArray);
    }
}
