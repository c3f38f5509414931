package org.neuroplastic.jobs.train;

import java.util.List;
import java.util.Map;

/**
 * One averaging round as the driver saw it.
 *
 * @param epoch       the network's epoch count during the round (0-based)
 * @param round       round index within the epoch (0-based)
 * @param firstStep   global step (iteration count) of the round's first minibatch on every worker
 * @param lastStep    global step after the round: the iteration count the next round starts from
 * @param workers     every worker's result, in partition order, trained or not
 * @param divergence  per trained worker (by partition) and layer index, the L2 distance of the worker's
 *                    layer parameters from the averaged ones (before any listener changed the network);
 *                    empty when trajectories are off
 * @param wallNanos   round wall time: broadcast, tasks, averaging and collection, without listeners
 */
public record RoundResult(int epoch, int round, long firstStep, long lastStep, List<WorkerRound> workers,
                          Map<Integer, double[]> divergence, long wallNanos) {

    /** Workers that fitted at least one minibatch in this round (the ones that were averaged). */
    public List<WorkerRound> trainedWorkers() {
        return workers.stream().filter(WorkerRound::trained).toList();
    }

    /** Time the slowest worker spent inside fit. */
    public long slowestFitNanos() {
        long slowest = 0;
        for (WorkerRound w : workers) {
            slowest = Math.max(slowest, w.fitNanos());
        }
        return slowest;
    }

    /** The round's fixed cost: wall time minus the slowest worker's fitting time. */
    public double overheadMs() {
        return (wallNanos - slowestFitNanos()) / 1e6;
    }

    /** Mean minibatch loss over the trained workers' minibatches of the round. */
    public double meanLoss() {
        double sum = 0;
        int count = 0;
        for (WorkerRound w : workers) {
            sum += w.lossSum();
            count += w.minibatches();
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
