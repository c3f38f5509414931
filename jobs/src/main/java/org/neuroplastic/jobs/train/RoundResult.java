package org.neuroplastic.jobs.train;

import java.util.List;

/**
 * One averaging round as the driver saw it.
 *
 * @param epoch       the network's epoch count during the round (0-based)
 * @param round       round index within the epoch (0-based)
 * @param firstStep   global step (iteration count) of the round's first minibatch on every worker
 * @param lastStep    global step after the round: the iteration count the next round starts from
 * @param workers     every worker's result, in partition order, trained or not
 * @param averageDrift per layer index, the L2 distance of the averaged state from the round's broadcast
 *                    state (before any listener changed the network); empty when trajectories are off
 * @param wallNanos   round wall time: broadcast, tasks, averaging and collection, without listeners
 * @param nonFiniteParameters how many of the averaged network's parameters (learned or plastic state) are NaN
 *                    or infinite, as the executors that averaged them counted
 */
public record RoundResult(int epoch, int round, long firstStep, long lastStep, List<WorkerRound> workers,
                          double[] averageDrift, long wallNanos, long nonFiniteParameters) {

    /** Workers that fitted at least one minibatch in this round (the ones that were averaged). */
    public List<WorkerRound> trainedWorkers() {
        return workers.stream().filter(WorkerRound::trained).toList();
    }

    /**
     * Per layer index, the root mean square over the trained workers of their layer state's L2 distance
     * from the average: the consensus distance of local SGD (Kong et al., "Consensus Control for
     * Decentralized Deep Learning", ICML 2021). With start s, workers x_w and average m,
     * sum_w |x_w - m|^2 = sum_w |x_w - s|^2 - n |m - s|^2, so it follows from the drifts without any
     * worker's state. Null when trajectories are off.
     */
    public double[] workerDivergence() {
        if (averageDrift.length == 0) {
            return null;
        }
        List<WorkerRound> trained = trainedWorkers();
        double[] divergence = new double[averageDrift.length];
        for (int layer = 0; layer < divergence.length; layer++) {
            double squares = 0;
            for (WorkerRound worker : trained) {
                squares += worker.drift()[layer] * worker.drift()[layer];
            }
            double mean = squares / trained.size() - averageDrift[layer] * averageDrift[layer];
            divergence[layer] = Math.sqrt(Math.max(0, mean));
        }
        return divergence;
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
