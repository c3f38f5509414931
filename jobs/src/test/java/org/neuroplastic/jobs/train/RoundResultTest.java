package org.neuroplastic.jobs.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the driver derives from a round's scalars, against hand computations. */
class RoundResultTest {

    /**
     * Layer 0, one value: start 0, workers at 1 and 3, average 2; each worker is 1 from the average.
     * Layer 1, two values: start (0, 0), workers at (1, 0) and (0, 1), average (0.5, 0.5); each worker is
     * sqrt(0.5) from it. The idle worker is not averaged and does not count.
     */
    @Test
    void workerDivergenceIsTheRootMeanSquareDistanceFromTheAverageRecoveredFromTheDrifts() {
        WorkerRound first = new WorkerRound(0, "e", 2, 16, 1.0, 5, -1, new double[] {1, 1}, Predictions.NONE);
        WorkerRound second = new WorkerRound(1, "e", 2, 16, 1.0, 5, -1, new double[] {3, 1}, Predictions.NONE);
        WorkerRound idle = WorkerRound.idle(2, "e");
        RoundResult round = new RoundResult(0, 0, 1, 2, List.of(first, second, idle),
                new double[] {2, Math.sqrt(0.5)}, 1_000_000, 0);

        assertThat(round.workerDivergence()).containsExactly(new double[] {1, Math.sqrt(0.5)}, within(1e-12));
    }

    @Test
    void workerDivergenceIsUnknownWhenDriftWasNotMeasured() {
        RoundResult round = new RoundResult(0, 0, 1, 2,
                List.of(new WorkerRound(0, "e", 2, 16, 1.0, 5, -1, new double[0], Predictions.NONE)), new double[0], 1_000_000, 0);

        assertThat(round.workerDivergence()).isNull();
    }
}
