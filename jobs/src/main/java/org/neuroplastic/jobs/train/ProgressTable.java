package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.trajectory.LayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The console view of a train run, one row per printed averaging round, in the reference's layout
 * ({@code Step | Loss | Hebbian | Structural | Scaling | Activity}, plus held-out accuracy at the end
 * of each epoch for classification). Values are those of the averaged network's trajectory rows:
 * Hebbian is the mean trace norm over plastic layers, Structural the connections rewired in the round,
 * Scaling the mean scaling factor and Activity the mean activity average. Rounds are thinned to about
 * {@code rowsPerEpoch} per epoch, so that long runs show steady progress without flooding the console.
 * With a continual-learning stream, each task opens with a line naming it, each epoch line names its
 * task and reports the held-out figures over every task's test split, and each task closes with the
 * accuracy (or loss) on every task: one row of the accuracy matrix.
 */
final class ProgressTable {

    private static final String HEADER = String.format(Locale.ROOT, "%8s | %-11s | %10s | %10s | %10s | %10s | %9s | %s",
            "Step", "Epoch/Round", "Loss", "Hebbian", "Structural", "Scaling", "Activity", "Held-out");

    private final PrintStream out;
    private final int epochs;
    private final int rowsPerEpoch;
    private final boolean classification;
    private final int tasks;
    private long rewiredSincePrinted;

    /**
     * @param epochs all epochs of the run, over every task
     * @param tasks  tasks of the stream; 1 without one
     */
    ProgressTable(PrintStream out, int epochs, int rowsPerEpoch, boolean classification, int tasks) {
        this.out = out;
        this.epochs = epochs;
        this.rowsPerEpoch = rowsPerEpoch;
        this.classification = classification;
        this.tasks = tasks;
    }

    /** Announces a task of a stream. */
    void task(int task, String description) {
        if (tasks > 1) {
            out.println(String.format(Locale.ROOT, "task %d/%d: %s", task + 1, tasks, description));
        }
    }

    /** After a stream's task: the held-out accuracy (loss for regression) on every task. */
    void afterTask(int task, List<HeldOutEvaluation> byTask) {
        if (tasks == 1) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "after task %d/%d, held-out %s by task:",
                task + 1, tasks, classification ? "accuracy" : "loss"));
        for (int t = 0; t < byTask.size(); t++) {
            HeldOutEvaluation test = byTask.get(t);
            line.append(String.format(Locale.ROOT, "  %d: %.4f", t, classification ? test.accuracy() : test.loss()));
        }
        out.println(line);
    }

    void header() {
        out.println(HEADER);
        out.println("-".repeat(HEADER.length()));
    }

    /**
     * Prints the round if it is one of the epoch's sampled rounds (always its last); none with
     * {@code rowsPerEpoch} 0.
     */
    void round(int epoch, int round, int rounds, long step, double loss, List<TrajectoryRecord> averaged) {
        if (rowsPerEpoch == 0) {
            return;
        }
        rewiredSincePrinted += (long) sum(averaged, m -> m.pruned() == null ? 0 : m.pruned() + m.regrown());
        int every = Math.max(1, rounds / Math.max(1, rowsPerEpoch));
        if ((round + 1) % every != 0 && round != rounds - 1) {
            return;
        }
        out.println(String.format(Locale.ROOT, "%8d | %-11s | %10.4f | %10s | %10s | %10s | %9s |",
                step, (epoch + 1) + "/" + epochs + " " + (round + 1) + "/" + rounds, loss,
                mean(averaged, LayerMetrics::hebbianNorm), averaged.isEmpty() ? "-" : Long.toString(rewiredSincePrinted),
                mean(averaged, LayerMetrics::scalingMean), mean(averaged, LayerMetrics::activityMean)));
        rewiredSincePrinted = 0;
    }

    void epoch(int epoch, int task, HeldOutEvaluation test, double seconds, double roundOverheadMs,
               double examplesUsedFraction) {
        String heldOut = (tasks > 1 ? "(all tasks) " : "") + (classification
                ? String.format(Locale.ROOT, "loss %.4f, accuracy %.4f", test.loss(), test.accuracy())
                : String.format(Locale.ROOT, "loss %.4f", test.loss()));
        out.println((tasks > 1 ? String.format(Locale.ROOT, "task %d/%d, ", task + 1, tasks) : "")
                + String.format(Locale.ROOT, "epoch %d/%d done in %.1f s: held-out %s (%d examples); round overhead %.0f ms; examples used %.3f",
                epoch + 1, epochs, seconds, heldOut, test.examples(), roundOverheadMs, examplesUsedFraction));
    }

    private static String mean(List<TrajectoryRecord> rows, Function<LayerMetrics, Double> column) {
        double sum = 0;
        int n = 0;
        for (TrajectoryRecord r : rows) {
            Double v = column.apply(r.metrics());
            if (v != null && !v.isNaN()) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.4f", sum / n);
    }

    private static double sum(List<TrajectoryRecord> rows, ToDoubleFunction<LayerMetrics> column) {
        double total = 0;
        for (TrajectoryRecord r : rows) {
            total += column.applyAsDouble(r.metrics());
        }
        return total;
    }
}
