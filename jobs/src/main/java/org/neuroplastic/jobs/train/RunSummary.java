package org.neuroplastic.jobs.train;

/**
 * The outcome of one train run, for the console.
 *
 * @param runId      the run's id, also the trajectories' partition
 * @param trainRows  training examples
 * @param testRows   held-out examples
 * @param divergence the one-line message of what became NaN or infinite, where and when; null unless the
 *                   run stopped because it diverged
 */
public record RunSummary(String runId, long trainRows, long testRows, String divergence) {

    public boolean diverged() {
        return divergence != null;
    }
}
