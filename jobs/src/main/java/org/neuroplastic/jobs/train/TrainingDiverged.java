package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Optional;

/**
 * Training stopped because its loss or its state became NaN or infinite. Its message is one line naming
 * what diverged, at which global step and in which epoch (1-based, as in evaluations and checkpoints),
 * e.g. "layer 0 hebbian trace H became NaN at step 120 (epoch 2)".
 */
public final class TrainingDiverged extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final int epoch;

    /**
     * @param what  the quantity that diverged and how, e.g. "training loss of worker 1 became infinite"
     * @param step  the global step (iteration count) at which it was seen
     * @param epoch the epoch, 1-based
     */
    public TrainingDiverged(String what, long step, int epoch) {
        super(what + " at step " + step + " (epoch " + epoch + ")");
        this.step = step;
        this.epoch = epoch;
    }

    /**
     * The divergence of a network whose training loss is {@code loss}: a non-finite parameter or plastic
     * state is named first (it is the cause a NaN loss follows from), else the loss itself.
     */
    public static TrainingDiverged of(MultiLayerNetwork network, double loss, long step, int epoch) {
        return new TrainingDiverged(NonFiniteState.first(network)
                .orElse("training loss became " + NonFiniteState.describe(loss)), step, epoch);
    }

    /**
     * Whether the round blew up: a non-finite value in the averaged network's parameters or plastic state
     * (named by layer and quantity), or else a worker's non-finite training loss (at the first step that
     * showed it). Empty when all is finite.
     */
    static Optional<TrainingDiverged> inRound(RoundResult result, MultiLayerNetwork network) {
        int epoch = result.epoch() + 1;
        // The executors counted the averaged parameters' non-finite values: the driver scans only to name them.
        var state = result.nonFiniteParameters() > 0 ? NonFiniteState.first(network) : Optional.<String>empty();
        if (state.isPresent()) {
            return Optional.of(new TrainingDiverged(state.get(), result.lastStep(), epoch));
        }
        for (WorkerRound worker : result.trainedWorkers()) {
            if (!Double.isFinite(worker.lossSum())) {
                long step = worker.nonFiniteStep() >= 0 ? worker.nonFiniteStep() : result.lastStep();
                return Optional.of(new TrainingDiverged("training loss of worker " + worker.partition() + " became "
                        + NonFiniteState.describe(worker.lossSum()), step, epoch));
            }
        }
        return Optional.empty();
    }

    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }
}
