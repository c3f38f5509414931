package org.neuroplastic.jobs.train;

/**
 * What one pass over the training data cost and covered.
 *
 * @param epoch            the network's epoch count during the pass (0-based)
 * @param rounds           averaging rounds run
 * @param examplesUsed     examples fitted by some worker
 * @param examplesTotal    examples in the training data
 * @param wallNanos        wall time of the pass, listeners included
 * @param slowestFitNanos  sum over rounds of the slowest worker's time inside fit
 * @param online           in an online stream, every worker's predictions made before learning, summed over
 *                         the pass; {@link Predictions#NONE} otherwise
 */
public record EpochReport(int epoch, int rounds, long examplesUsed, long examplesTotal, long wallNanos,
                          long slowestFitNanos, Predictions online) {

    public double examplesUsedFraction() {
        return examplesTotal == 0 ? 0.0 : (double) examplesUsed / examplesTotal;
    }

    /** Mean fixed cost of a round: (wall time - slowest fitting time) / rounds. */
    public double roundOverheadMs() {
        return rounds == 0 ? 0.0 : (wallNanos - slowestFitNanos) / 1e6 / rounds;
    }

    public double wallSeconds() {
        return wallNanos / 1e9;
    }
}
