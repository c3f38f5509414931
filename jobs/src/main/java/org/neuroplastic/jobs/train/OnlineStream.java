package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.jobs.results.EvaluationRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training of an online stream (Dohare et al., "Loss of plasticity in deep continual learning", Nature
 * 2024): every task's fresh examples seen once, each minibatch predicted by its worker just before the worker
 * learns from it. The stream is cut into {@link #BLOCKS} blocks of tasks: after each block the job writes the
 * block's rows and a checkpoint (one write per block, not per task: a Parquet append costs about as much as
 * training a task here, and a stream has hundreds), and the console shows the block's online accuracy, the
 * figure whose fall over the stream is the loss of plasticity.
 */
final class OnlineStream {

    /** Blocks over the whole stream: enough to see a trend, few enough to read and to write. */
    static final int BLOCKS = 10;

    /** What the job does after a block of tasks: write their rows and, unless training diverged, checkpoint. */
    interface BlockEnd {
        /** @param reports one per task of the block, in order, the first for task {@code firstTask} */
        void blockDone(int firstTask, List<EpochReport> reports, boolean checkpoint);
    }

    private OnlineStream() {
    }

    /** An online stream's rows: one per task, its predictions before learning, epoch = task + 1. */
    static List<EvaluationRecord> rows(TrajectoryScope scope, int firstTask, List<EpochReport> reports) {
        List<EvaluationRecord> rows = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            int task = firstTask + i;
            Predictions online = reports.get(i).online();
            rows.add(new EvaluationRecord(scope.runId(), scope.trialId(), task + 1, task, task, EvaluationRecord.ONLINE,
                    online.examples(), online.meanLoss(), online.accuracy()));
        }
        return rows;
    }

    /** Tasks per block of a stream of {@code tasks} tasks. */
    static int blockSize(int tasks) {
        return (tasks + BLOCKS - 1) / BLOCKS;
    }

    /**
     * Trains tasks {@code firstTask ..} of {@code tasks} (a resumed run starts after its checkpoint, which
     * is always at the end of a block), one pass each. {@code trainer} must predict before learning (see
     * {@link EpochTrainer#predictBeforeLearning}). When training diverges, the block's completed tasks are
     * handed to {@code blockEnd} without a checkpoint before the divergence is thrown on.
     */
    static void train(TaskData tasks, EpochTrainer trainer, int firstTask, int batchSize, BlockEnd blockEnd,
                      PrintStream console) {
        int blockSize = blockSize(tasks.tasks());
        console.printf(Locale.ROOT, "online: %d tasks of %d fresh examples, each minibatch predicted before it is "
                + "learned from; online accuracy by block of %d tasks%n", tasks.tasks(), tasks.trainRows(0), blockSize);
        List<EpochReport> block = new ArrayList<>();
        long blockStart = System.nanoTime();
        for (int task = firstTask; task < tasks.tasks(); task++) {
            JavaRDD<DataSet> training = tasks.trainingMinibatches(task, batchSize);
            trainer.startTask(task, tasks.trainRows(task), null);
            EpochReport report;
            try {
                report = trainer.fitEpoch(training);
            } catch (TrainingDiverged diverged) {
                blockEnd.blockDone(task - block.size(), block, false);
                throw diverged;
            }
            if (report.online().examples() != tasks.trainRows(task)) {
                throw new IllegalStateException("task " + task + " predicted " + report.online().examples()
                        + " examples, expected " + tasks.trainRows(task));
            }
            block.add(report);
            if ((task + 1) % blockSize == 0 || task + 1 == tasks.tasks()) {
                int first = task + 1 - block.size();
                blockEnd.blockDone(first, block, true);
                Predictions predicted = Predictions.NONE;
                for (EpochReport r : block) {
                    predicted = predicted.plus(r.online());
                }
                console.printf(Locale.ROOT, "tasks %d-%d: online accuracy %.4f, loss %.4f (%d examples), %.1f s%n",
                        first + 1, task + 1, predicted.accuracy(), predicted.meanLoss(), predicted.examples(),
                        (System.nanoTime() - blockStart) / 1e9);
                block = new ArrayList<>();
                blockStart = System.nanoTime();
            }
        }
    }
}
