package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

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

    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }
}
