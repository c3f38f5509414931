package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Average accuracy, backward transfer and forgetting of small matrices worked out by hand. */
class AccuracyMatrixTest {

    private static final double EPS = 1e-12;
    private static final double MISSING = Double.NaN;

    /**
     * <pre>
     *            task 0  task 1  task 2
     * trained 0   0.90    0.10    0.20
     * trained 1   0.95    0.80    0.30     (training task 1 first helped task 0 ...)
     * trained 2   0.50    0.70    0.95     (... then task 2 made the network forget both)
     *
     * ACC = (0.50 + 0.70 + 0.95) / 3                  = 2.15 / 3
     * BWT = ((0.50 - 0.90) + (0.70 - 0.80)) / 2       = (-0.40 - 0.10) / 2 = -0.25
     * f_0 = max(0.90, 0.95) - 0.50                    = 0.45   (the best, not the diagonal: 0.40 would be wrong)
     * f_1 = max(0.10, 0.80) - 0.70                    = 0.10
     * F   = (0.45 + 0.10) / 2                         = 0.275
     * </pre>
     */
    private static final double[][] STREAM = {
        {0.90, 0.10, 0.20},
        {0.95, 0.80, 0.30},
        {0.50, 0.70, 0.95},
    };

    @Test
    void averageAccuracyIsTheMeanOfTheLastRow() {
        assertThat(new AccuracyMatrix(STREAM).averageAccuracy().getAsDouble()).isCloseTo(2.15 / 3, within(EPS));
    }

    @Test
    void backwardTransferComparesTheLastRowWithTheDiagonal() {
        AccuracyMatrix matrix = new AccuracyMatrix(STREAM);
        assertThat(matrix.backwardTransfer().getAsDouble()).isCloseTo(-0.25, within(EPS));
        assertThat(matrix.backwardTransfer(0).getAsDouble()).isCloseTo(-0.40, within(EPS));
        assertThat(matrix.backwardTransfer(1).getAsDouble()).isCloseTo(-0.10, within(EPS));
        assertThat(matrix.backwardTransfer(2)).as("the last task has no later task").isEmpty();
    }

    @Test
    void forgettingIsTheDropFromTheBestEarlierAccuracy() {
        AccuracyMatrix matrix = new AccuracyMatrix(STREAM);
        assertThat(matrix.bestEarlierAccuracy(0).getAsDouble()).isEqualTo(0.95);
        assertThat(matrix.forgetting(0).getAsDouble()).isCloseTo(0.45, within(EPS));
        assertThat(matrix.forgetting(1).getAsDouble()).isCloseTo(0.10, within(EPS));
        assertThat(matrix.forgetting(2)).isEmpty();
        assertThat(matrix.averageForgetting().getAsDouble()).isCloseTo(0.275, within(EPS));
        assertThat(matrix.missingCells()).isZero();
    }

    @Test
    void aTaskThatImprovesLaterHasNegativeForgettingAndPositiveBackwardTransfer() {
        // ACC = (0.9 + 0.8) / 2; BWT = 0.9 - 0.7; f_0 = max(0.7) - 0.9 = -0.2 (improved, as Chaudhry et al. allow).
        AccuracyMatrix matrix = new AccuracyMatrix(new double[][] {{0.7, 0.5}, {0.9, 0.8}});
        assertThat(matrix.averageAccuracy().getAsDouble()).isCloseTo(0.85, within(EPS));
        assertThat(matrix.backwardTransfer().getAsDouble()).isCloseTo(0.2, within(EPS));
        assertThat(matrix.averageForgetting().getAsDouble()).isCloseTo(-0.2, within(EPS));
    }

    @Test
    void aMissingCellLeavesOutExactlyTheMeasuresThatReadIt() {
        double[][] lastRowGap = {
            {0.90, 0.10, 0.20},
            {0.95, 0.80, 0.30},
            {0.50, MISSING, 0.95},
        };
        AccuracyMatrix gap = new AccuracyMatrix(lastRowGap);
        assertThat(gap.missingCells()).isEqualTo(1);
        assertThat(gap.averageAccuracy()).isEmpty();
        assertThat(gap.backwardTransfer()).isEmpty();
        assertThat(gap.averageForgetting()).isEmpty();
        assertThat(gap.forgetting(1)).isEmpty();
        assertThat(gap.forgetting(0).getAsDouble()).isCloseTo(0.45, within(EPS));

        double[][] futureGap = {
            {0.90, 0.10, MISSING},
            {0.95, 0.80, MISSING},
            {0.50, 0.70, 0.95},
        };
        AccuracyMatrix future = new AccuracyMatrix(futureGap);
        assertThat(future.missingCells()).isEqualTo(2);
        assertThat(future.averageAccuracy()).isEqualTo(OptionalDouble.of(new AccuracyMatrix(STREAM).averageAccuracy().getAsDouble()));
        assertThat(future.backwardTransfer().getAsDouble()).isCloseTo(-0.25, within(EPS));
        assertThat(future.averageForgetting().getAsDouble()).isCloseTo(0.275, within(EPS));

        double[][] earlierGap = {
            {0.90, MISSING, 0.20},
            {0.95, 0.80, 0.30},
            {0.50, 0.70, 0.95},
        };
        assertThat(new AccuracyMatrix(earlierGap).forgetting(1)).as("the max reads every l < T-1").isEmpty();
    }

    @Test
    void fewerThanTwoTasksOrANonSquareMatrixIsRefused() {
        assertThatThrownBy(() -> new AccuracyMatrix(new double[][] {{0.5}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an accuracy matrix needs at least 2 tasks, found 1");
        assertThatThrownBy(() -> new AccuracyMatrix(new double[][] {{0.5, 0.5}, {0.5}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an accuracy matrix must be square: 2 rows, found a row of 1");
    }
}
