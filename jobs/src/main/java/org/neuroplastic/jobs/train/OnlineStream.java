package org.neuroplastic.jobs.train;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.data.TaskData;

/**
 * The training of an online stream (Dohare et al., "Loss of plasticity in deep continual learning", Nature
 * 2024): every task's fresh examples seen once, each minibatch predicted by its worker just before the worker
 * learns from it. The console shows the online accuracy by block of tasks ({@link #BLOCKS} blocks over the
 * stream), the figure whose fall over the stream is the loss of plasticity.
 */
final class OnlineStream {

    /** Console lines over the whole stream: enough to see a trend, few enough to read. */
    static final int BLOCKS = 10;

    /** What the job does when a task's pass is over: write its rows and checkpoint. */
    interface TaskEnd {
        void taskDone(int task, EpochReport report);
    }

    private OnlineStream() {
    }

    /**
     * Trains tasks {@code firstTask ..} of {@code tasks}, one pass each, calling {@code taskEnd} after each.
     * {@code trainer} must predict before learning (see {@link EpochTrainer#predictBeforeLearning}).
     */
    static void train(TaskData tasks, EpochTrainer trainer, int firstTask, int batchSize, TaskEnd taskEnd,
                      PrintStream console) {
        int blockSize = (tasks.tasks() + BLOCKS - 1) / BLOCKS;
        console.printf(Locale.ROOT, "online: %d tasks of %d fresh examples, each minibatch predicted before it is "
                + "learned from; online accuracy by block of %d tasks%n", tasks.tasks(), tasks.trainRows(0), blockSize);
        OnlinePredictions block = OnlinePredictions.NONE;
        long blockStart = System.nanoTime();
        int blockFirst = firstTask;
        for (int task = firstTask; task < tasks.tasks(); task++) {
            JavaRDD<DataSet> training = tasks.trainingMinibatches(task, batchSize);
            trainer.startTask(task, tasks.trainRows(task), null);
            EpochReport report = trainer.fitEpoch(training);
            if (report.online().examples() != tasks.trainRows(task)) {
                throw new IllegalStateException("task " + task + " predicted " + report.online().examples()
                        + " examples, expected " + tasks.trainRows(task));
            }
            taskEnd.taskDone(task, report);
            block = block.plus(report.online());
            if ((task + 1) % blockSize == 0 || task + 1 == tasks.tasks()) {
                console.printf(Locale.ROOT, "tasks %d-%d: online accuracy %.4f, loss %.4f (%d examples), %.1f s%n",
                        blockFirst + 1, task + 1, block.accuracy(), block.meanLoss(), block.examples(),
                        (System.nanoTime() - blockStart) / 1e9);
                block = OnlinePredictions.NONE;
                blockStart = System.nanoTime();
                blockFirst = task + 1;
            }
        }
    }
}
