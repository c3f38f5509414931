package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.neuroplastic.jobs.config.TaskStream;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Which rows belong to each task of a split stream: task {@code t} holds the labels {@code c} with
 * {@code (int) (c / classes_per_task) == t}. Written twice, as a Spark SQL column for rows read through Spark
 * SQL and in Java for file data's {@link ExampleSlice}s (read where they are, without Spark SQL converting every
 * row of the data set first); the arithmetic is the same, so both select the same rows.
 */
final class SplitTaskRows {

    private SplitTaskRows() {
    }

    /** The task of each row, as a column. */
    static Column task(TaskStream.Split split) {
        return col(DatasetSchema.LABEL).divide(split.classesPerTask()).cast(DataTypes.IntegerType);
    }

    /** The examples of task {@code task}, as a filter of the slices. */
    static Minibatches.ExampleFilter of(TaskStream.Split split, int task) {
        int classesPerTask = split.classesPerTask();
        return example -> taskOf(example, classesPerTask) == task;
    }

    /** {@link #task}'s arithmetic in Java: the label divided by the classes per task, truncated. */
    private static int taskOf(Minibatches.LabeledFeatures example, int classesPerTask) {
        return (int) (example.getLabel() / classesPerTask);
    }

    /** Each task's rows in the train and the validation split, into {@code trainRows} and {@code validationRows}. */
    static void count(LoadedDataset data, TaskStream.Split split, long[] trainRows, long[] validationRows) {
        if (data.slices() == null) {
            for (Row r : data.rows().where(col(DatasetSchema.SPLIT).notEqual(DatasetSchema.TEST))
                    .groupBy(task(split).as("t"), col(DatasetSchema.SPLIT)).count().collectAsList()) {
                (DatasetSchema.TRAIN.equals(r.getString(1)) ? trainRows : validationRows)[r.getInt(0)] = r.getLong(2);
            }
            return;
        }
        int tasks = trainRows.length;
        int classesPerTask = split.classesPerTask();
        List<String> splits = List.of(DatasetSchema.TRAIN, DatasetSchema.VALIDATION);
        long[] counts = data.slices().map(slice -> {
            long[] partial = new long[splits.size() * tasks];
            for (int s = 0; s < splits.size(); s++) {
                for (Minibatches.LabeledFeatures example : slice.examples(splits.get(s))) {
                    partial[s * tasks + taskOf(example, classesPerTask)]++;
                }
            }
            return partial;
        }).reduce((a, b) -> {
            long[] sum = new long[a.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = a[i] + b[i];
            }
            return sum;
        });
        System.arraycopy(counts, 0, trainRows, 0, tasks);
        System.arraycopy(counts, tasks, validationRows, 0, tasks);
    }
}
