package org.neuroplastic.jobs.trajectory;

/** The natural key of a trajectory row: at most one row exists per key. */
public record TrajectoryKey(String runId, int task, int epoch, int round, long step, String worker, int layer) {
}
