package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.util.List;

/**
 * Told on the driver after each averaging round once its trajectory rows are recorded, i.e. after every
 * {@link RoundListener} ran: for progress reporting, which must see the averaged network as the next
 * round will.
 */
@FunctionalInterface
public interface RoundObserver {

    /**
     * @param roundsInEpoch rounds the current epoch runs
     * @param averagedRows  the round's {@code avg} rows, one per layer (empty when trajectories are off)
     */
    void roundRecorded(RoundResult round, int roundsInEpoch, List<TrajectoryRecord> averagedRows);
}
