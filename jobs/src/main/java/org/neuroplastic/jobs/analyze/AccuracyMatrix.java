package org.neuroplastic.jobs.analyze;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The accuracy matrix of a continual-learning run and the measures of forgetting derived from it. Cell
 * {@code R[i][j]} is the held-out accuracy on task {@code j} after training task {@code i} (tasks in the order
 * they were trained, 0-based); a missing cell is {@link Double#NaN}. A measure whose formula reads a missing
 * cell is absent: it is never averaged over fewer tasks than its definition names.
 */
final class AccuracyMatrix {

    private final double[][] cells;

    /**
     * @param cells a T x T matrix, T >= 2, {@code NaN} for a cell without evaluation; copied
     */
    AccuracyMatrix(double[][] cells) {
        if (cells.length < 2) {
            throw new IllegalArgumentException("an accuracy matrix needs at least 2 tasks, found " + cells.length);
        }
        for (double[] row : cells) {
            if (row.length != cells.length) {
                throw new IllegalArgumentException("an accuracy matrix must be square: " + cells.length + " rows, found a row of " + row.length);
            }
        }
        this.cells = Arrays.stream(cells).map(double[]::clone).toArray(double[][]::new);
    }

    int tasks() {
        return cells.length;
    }

    OptionalDouble cell(int trained, int evaluated) {
        return present(cells[trained][evaluated]);
    }

    /** Cells without an evaluation. */
    int missingCells() {
        return (int) Arrays.stream(cells).flatMapToDouble(Arrays::stream).filter(Double::isNaN).count();
    }

    /** ACC = (1/T) Σ_j R[T−1][j] (Lopez-Paz and Ranzato 2017, GEM). */
    OptionalDouble averageAccuracy() {
        int last = tasks() - 1;
        double sum = 0;
        for (int j = 0; j <= last; j++) {
            sum += cells[last][j];
        }
        return present(sum / tasks());
    }

    /** BWT = (1/(T−1)) Σ_{j<T−1} (R[T−1][j] − R[j][j]) (Lopez-Paz and Ranzato 2017, GEM). */
    OptionalDouble backwardTransfer() {
        int last = tasks() - 1;
        double sum = 0;
        for (int j = 0; j < last; j++) {
            sum += cells[last][j] - cells[j][j];
        }
        return present(sum / last);
    }

    /** R[T−1][j] − R[j][j]: what training the later tasks did to task j; absent for the last task. */
    OptionalDouble backwardTransfer(int task) {
        int last = tasks() - 1;
        return task == last ? OptionalDouble.empty() : present(cells[last][task] - cells[task][task]);
    }

    /** max_{l<T−1} R[l][j]: the best accuracy task j had before the last task was trained; absent for the last task. */
    OptionalDouble bestEarlierAccuracy(int task) {
        int last = tasks() - 1;
        if (task == last) {
            return OptionalDouble.empty();
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < last; l++) {
            // Math.max keeps a NaN, so one missing cell makes the maximum absent.
            best = Math.max(best, cells[l][task]);
        }
        return present(best);
    }

    /**
     * f_j = max_{l<T−1} R[l][j] − R[T−1][j] for j < T−1 (Chaudhry et al. 2018, RWalk, after the last task); absent for the last task.
     */
    OptionalDouble forgetting(int task) {
        OptionalDouble best = bestEarlierAccuracy(task);
        return best.isEmpty() ? best : present(best.getAsDouble() - cells[tasks() - 1][task]);
    }

    /** F = (1/(T−1)) Σ_{j<T−1} f_j (Chaudhry et al. 2018, RWalk). */
    OptionalDouble averageForgetting() {
        double sum = 0;
        for (int j = 0; j < tasks() - 1; j++) {
            sum += forgetting(j).orElse(Double.NaN);
        }
        return present(sum / (tasks() - 1));
    }

    private static OptionalDouble present(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
