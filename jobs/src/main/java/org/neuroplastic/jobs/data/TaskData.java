package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TaskStream;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;

/**
 * The tasks of a continual-learning stream over a loaded data set: each task's rows in both splits, with
 * {@code task} set to the task. Nothing is copied: a split task is a filter of the data set, a permuted
 * task a column expression over it, evaluated where the rows are read. A data set without a stream is
 * one task, task 0, holding every row as loaded.
 */
public final class TaskData {

    private final LoadedDataset data;
    private final TaskStream stream;
    private final int[][] permutations;
    private final long[] trainRows;

    private TaskData(LoadedDataset data, TaskStream stream, long[] trainRows) {
        this.data = data;
        this.stream = stream;
        this.trainRows = trainRows;
        this.permutations = stream instanceof TaskStream.Permuted permuted
                ? TaskPermutations.of(permuted.tasks(), data.features(), permuted.seed()) : null;
    }

    /** The data set as one task. */
    public static TaskData single(LoadedDataset data) {
        return new TaskData(data, null, new long[] {data.trainRows()});
    }

    /**
     * The tasks of {@code stream} over {@code data}; fails when a task would have no training row, naming
     * the task and its classes.
     */
    public static TaskData of(LoadedDataset data, TaskStream stream) {
        long[] trainRows = new long[stream.tasks()];
        if (stream instanceof TaskStream.Split split) {
            for (Row r : data.train().groupBy(splitTask(split).as("t")).count().collectAsList()) {
                trainRows[r.getInt(0)] = r.getLong(1);
            }
            for (int t = 0; t < trainRows.length; t++) {
                if (trainRows[t] == 0) {
                    throw new InvalidInputException(data.source() + ": task " + t + " of the split stream (classes "
                            + classesText(split, t) + ") has no training row");
                }
            }
        } else {
            Arrays.fill(trainRows, data.trainRows());
        }
        return new TaskData(data, stream, trainRows);
    }

    public LoadedDataset data() {
        return data;
    }

    public int tasks() {
        return stream == null ? 1 : stream.tasks();
    }

    public boolean continual() {
        return stream != null;
    }

    /** The stream's scenario, or null for a data set without a stream. */
    public TaskStream.Scenario scenario() {
        return stream == null ? null : stream.scenario();
    }

    /** Rows in the task's train split. */
    public long trainRows(int task) {
        return trainRows[task];
    }

    /** The task's rows in both splits, {@code task} set to the task. */
    public Dataset<Row> rows(int task) {
        if (task < 0 || task >= tasks()) {
            throw new IllegalArgumentException("task must be in [0, " + tasks() + "), found " + task);
        }
        Dataset<Row> rows = data.rows();
        if (stream instanceof TaskStream.Split split) {
            rows = rows.where(splitTask(split).equalTo(task));
        } else if (permutations != null && task > 0) {
            Column order = lit(permutations[task]);
            rows = rows.withColumn(DatasetSchema.FEATURES, transform(order, p -> col(DatasetSchema.FEATURES).apply(p)));
        }
        return stream == null ? rows : rows.withColumn(DatasetSchema.TASK, lit(task));
    }

    public Dataset<Row> train(int task) {
        return rows(task).where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TRAIN));
    }

    public Dataset<Row> test(int task) {
        return rows(task).where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TEST));
    }

    /** The task's training rows as minibatches, built on the executors. */
    public JavaRDD<DataSet> trainingMinibatches(int task, int batchSize) {
        if (stream == null) {
            return Minibatches.ofTrain(data, batchSize);
        }
        return Minibatches.of(train(task), data.features(), data.target(), batchSize);
    }

    /** The task's test rows as minibatches, built on the executors. */
    public JavaRDD<DataSet> heldOutMinibatches(int task, int batchSize) {
        if (stream == null) {
            return Minibatches.ofTest(data, batchSize);
        }
        return Minibatches.of(test(task), data.features(), data.target(), batchSize);
    }

    /**
     * The output classes a task's accuracy is taken over: in the task-incremental scenario the task's own
     * classes (the task id is given at test time), otherwise null for every class of the output layer.
     */
    public int[] evaluatedClasses(int task) {
        return stream instanceof TaskStream.Split split && split.scenario() == TaskStream.Scenario.TASK_INCREMENTAL
                ? split.classesOf(task) : null;
    }

    /** How the console names a task, e.g. "classes 2, 3" or "permutation 1 of seed 7". */
    public String describe(int task) {
        if (stream instanceof TaskStream.Split split) {
            return "classes " + classesText(split, task);
        }
        if (stream instanceof TaskStream.Permuted permuted) {
            return task == 0 ? "original feature order" : "permutation " + task + " of seed " + permuted.seed();
        }
        return "all rows";
    }

    private static String classesText(TaskStream.Split split, int task) {
        StringBuilder text = new StringBuilder();
        for (int c : split.classesOf(task)) {
            text.append(text.length() == 0 ? "" : ", ").append(c);
        }
        return text.toString();
    }

    private static Column splitTask(TaskStream.Split split) {
        return col(DatasetSchema.LABEL).divide(split.classesPerTask()).cast(DataTypes.IntegerType);
    }
}
