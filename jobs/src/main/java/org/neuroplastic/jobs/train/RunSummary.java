package org.neuroplastic.jobs.train;

/**
 * The outcome of one train run, for the console.
 *
 * @param runId     the run's id, also the trajectories' partition
 * @param trainRows training examples
 * @param testRows  held-out examples
 */
public record RunSummary(String runId, long trainRows, long testRows) {
}
