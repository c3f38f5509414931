package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TaskStream;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;

/**
 * The tasks of a continual-learning stream over a loaded data set: each task's rows in every split (train, test,
 * and the validation split carved from the training rows by {@code data.validation_fraction}), with
 * {@code task} set to the task. Nothing is copied: a split task is a filter of the data set, a permuted
 * task a column expression over it, evaluated where the rows are read. A data set without a stream is
 * one task, task 0, holding every row as loaded.
 *
 * <p>A stream is trained in phases: one per task, in order, or, for the joint-training upper bound
 * ({@code data.stream.joint}), one phase holding every task's training examples at once. Its tasks are
 * evaluated the same way either way.
 */
public final class TaskData {

    private final LoadedDataset data;
    private final TaskStream stream;
    private final int[][] permutations;
    private final long[] trainRows;
    private final long[] trainRowIds;
    private final boolean joint;

    private TaskData(LoadedDataset data, TaskStream stream, long[] trainRows, long[] trainRowIds, boolean joint) {
        this.joint = joint;
        this.data = data;
        this.stream = stream;
        this.trainRows = trainRows;
        this.trainRowIds = trainRowIds;
        this.permutations = stream instanceof TaskStream.Permuted permuted
                ? TaskPermutations.of(permuted.tasks(), data.features(), permuted.seed()) : null;
    }

    /** The data set as one task. */
    public static TaskData single(LoadedDataset data) {
        return new TaskData(data, null, new long[] {data.trainRows()}, null, false);
    }

    /**
     * The tasks of {@code stream} over {@code data}; fails when a task would have no training row, naming
     * the task and its classes.
     */
    public static TaskData of(LoadedDataset data, TaskStream stream) {
        if (data.slices() != null) {
            // Every task reads the data set again (its training rows, and once each task's held-out rows), and an
            // online task draws from the whole train split: kept in memory, not read again from its source.
            data.slices().persist(StorageLevel.MEMORY_AND_DISK());
        }
        long[] trainRows = new long[stream.tasks()];
        if (stream instanceof TaskStream.Split split) {
            long[] validationRows = new long[stream.tasks()];
            SplitTaskRows.count(data, split, trainRows, validationRows);
            for (int t = 0; t < trainRows.length; t++) {
                if (trainRows[t] == 0 || (data.validationRows() > 0 && validationRows[t] == 0)) {
                    throw new InvalidInputException(data.source() + ": task " + t + " of the split stream (classes "
                            + classesText(split, t) + ") has no " + (trainRows[t] == 0 ? "training row"
                            : "validation row (data.validation_fraction is too small for it)"));
                }
            }
        } else if (stream instanceof TaskStream.Permuted permuted && permuted.online()) {
            if (permuted.examplesPerTask() > data.trainRows()) {
                throw new InvalidInputException(data.source() + ": data.stream.examples_per_task "
                        + permuted.examplesPerTask() + " exceeds the " + data.trainRows() + " training rows");
            }
            Arrays.fill(trainRows, permuted.examplesPerTask());
            long[] ids = data.train().select(col(DatasetSchema.ROW_ID)).as(Encoders.LONG()).collectAsList().stream()
                    .mapToLong(Long::longValue).sorted().toArray();
            return new TaskData(data, stream, trainRows, ids, false);
        } else {
            Arrays.fill(trainRows, data.trainRows());
        }
        return new TaskData(data, stream, trainRows, null, false);
    }

    /**
     * Frees what {@link #of} kept in memory (a stream's slices): a run ends with it, so that the trials of a sweep
     * in one Spark application do not pile up their data sets in the executors' storage.
     */
    public void release() {
        if (stream != null && data.slices() != null) {
            data.slices().unpersist(false);
        }
    }

    /** These tasks trained jointly: every task's training examples in one phase; refused for an online stream. */
    public TaskData joint() {
        if (stream == null || online()) {
            throw new IllegalStateException("only an offline stream can be trained jointly");
        }
        return new TaskData(data, stream, trainRows, trainRowIds, true);
    }

    /** Whether every task is trained at once, in one phase (the joint-training upper bound). */
    public boolean isJoint() {
        return joint;
    }

    /** The training phases: one per task, or one for a joint stream. */
    public int phases() {
        return joint ? 1 : tasks();
    }

    /**
     * The task phase {@code phase} trains, as the evaluations' {@code trained_task} records it: the task itself,
     * or for a joint stream the last task, since after its one phase every task up to the last is trained.
     */
    public int trainedTask(int phase) {
        return joint ? tasks() - 1 : phase;
    }

    /** Training examples of phase {@code phase}: the task's, or for a joint stream every task's together. */
    public long phaseTrainRows(int phase) {
        if (!joint) {
            return trainRows(phase);
        }
        long rows = 0;
        for (long t : trainRows) {
            rows += t;
        }
        return rows;
    }

    /**
     * Phase {@code phase}'s training minibatches: the task's ({@link #trainingMinibatches}), or for a joint
     * stream every task's training examples together, shuffled within each partition from {@code seed} (the
     * run's) so that every minibatch mixes the tasks: a split stream's train split, or a permuted stream's train
     * split under each task's permutation ({@link Minibatches#shuffledCopies}).
     */
    public JavaRDD<DataSet> phaseMinibatches(int phase, int batchSize, long seed) {
        if (!joint) {
            return trainingMinibatches(phase, batchSize);
        }
        return Minibatches.shuffledCopies(data.train(), data.features(), data.target(), batchSize, permutations, seed);
    }

    /** How the console names phase {@code phase}. */
    public String describePhase(int phase) {
        return joint ? "every task jointly (" + tasks() + " tasks, " + phaseTrainRows(phase) + " examples)"
                : describe(phase);
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

    /** Whether every task is a draw of fresh examples, each minibatch predicted before it is learned from. */
    public boolean online() {
        return stream != null && stream.online();
    }

    /**
     * The row ids of an online task's training examples: {@code examples_per_task} distinct training rows,
     * drawn uniformly without replacement (a partial Fisher-Yates shuffle) from {@code (seed, task)} alone,
     * ascending. Tasks draw independently, so a row may return in a later task, under another permutation.
     */
    public long[] onlineRowIds(int task) {
        if (!online()) {
            throw new IllegalStateException("the stream is not online");
        }
        TaskStream.Permuted permuted = (TaskStream.Permuted) stream;
        long[] pool = trainRowIds.clone();
        int drawn = permuted.examplesPerTask();
        RowRandom random = RowRandom.forTaskExamples(permuted.seed(), task);
        for (int i = 0; i < drawn; i++) {
            int j = i + (int) (random.nextDouble() * (pool.length - i));
            long swapped = pool[i];
            pool[i] = pool[j];
            pool[j] = swapped;
        }
        long[] ids = Arrays.copyOf(pool, drawn);
        Arrays.sort(ids);
        return ids;
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
            rows = rows.where(SplitTaskRows.task(split).equalTo(task));
        } else if (permutations != null && task > 0) {
            Column order = lit(permutations[task]);
            rows = rows.withColumn(DatasetSchema.FEATURES, transform(order, p -> col(DatasetSchema.FEATURES).apply(p)));
        }
        return stream == null ? rows : rows.withColumn(DatasetSchema.TASK, lit(task));
    }

    /** The task's training rows: an online task's drawn examples, otherwise the whole train split. */
    public Dataset<Row> train(int task) {
        Dataset<Row> train = rows(task).where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.TRAIN));
        if (!online()) {
            return train;
        }
        Object[] ids = Arrays.stream(onlineRowIds(task)).boxed().toArray();
        return train.where(col(DatasetSchema.ROW_ID).isin(ids));
    }

    public Dataset<Row> test(int task) {
        return heldOut(task, DatasetSchema.TEST);
    }

    /**
     * The task's rows of a held-out split, {@link DatasetSchema#TEST} or {@link DatasetSchema#VALIDATION}: a split
     * task's rows of its classes, a permuted task's every row under its permutation. Never trained on.
     */
    public Dataset<Row> heldOut(int task, String split) {
        return rows(task).where(col(DatasetSchema.SPLIT).equalTo(split));
    }

    /** The task's training rows as minibatches, built on the executors. */
    public JavaRDD<DataSet> trainingMinibatches(int task, int batchSize) {
        if (stream == null) {
            return Minibatches.ofTrain(data, batchSize);
        }
        if (online() && data.slices() != null) {
            long[] drawn = onlineRowIds(task);
            return Minibatches.ofSlices(data, DatasetSchema.TRAIN,
                    example -> Arrays.binarySearch(drawn, example.getRowId()) >= 0, permutations[task], batchSize);
        }
        if (data.slices() != null) {
            return fromSlices(task, DatasetSchema.TRAIN, batchSize);
        }
        return Minibatches.of(train(task), data.features(), data.target(), batchSize);
    }

    /** The task's test rows as minibatches, built on the executors. */
    public JavaRDD<DataSet> heldOutMinibatches(int task, int batchSize) {
        return heldOutMinibatches(task, DatasetSchema.TEST, batchSize);
    }

    /** The task's rows of a held-out split ({@link #heldOut}) as minibatches, built on the executors. */
    public JavaRDD<DataSet> heldOutMinibatches(int task, String split, int batchSize) {
        if (stream == null) {
            return Minibatches.ofSplit(data, split, batchSize);
        }
        if (data.slices() != null) {
            return fromSlices(task, split, batchSize);
        }
        return Minibatches.of(heldOut(task, split), data.features(), data.target(), batchSize);
    }

    /**
     * The task's rows of {@code split} cut from file data's slices ({@link Minibatches#ofSlices}): the rows
     * {@link #rows} selects, as minibatches, without Spark SQL converting every row of the data set for each
     * task and split.
     */
    private JavaRDD<DataSet> fromSlices(int task, String split, int batchSize) {
        Minibatches.ExampleFilter kept = stream instanceof TaskStream.Split splitStream
                ? SplitTaskRows.of(splitStream, task) : null;
        int[] order = permutations != null && task > 0 ? permutations[task] : null;
        return Minibatches.ofSlices(data, split, kept, order, batchSize);
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
            String order = task == 0 ? "original feature order" : "permutation " + task + " of seed " + permuted.seed();
            return permuted.online() ? order + ", " + permuted.examplesPerTask() + " fresh examples" : order;
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
}
