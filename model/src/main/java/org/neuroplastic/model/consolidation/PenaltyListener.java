package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a {@link GradientPenalty} a term of a network's training objective. DL4J calls
 * {@link #onGradientCalculation} after backprop and before the updater (BaseOptimizer.gradientAndScore in
 * 1.0.0-M2). The gradient view then holds the SUM of the minibatch's per-example gradients: the loss
 * functions return per-example gradients and the updater divides by the minibatch size afterwards
 * (BaseMultiLayerUpdater.divideByMinibatch), while the score is already the mean loss. So the penalty's
 * gradient is added multiplied by the minibatch size, making each step that of mean loss + Omega whatever
 * the minibatch size. The score is left the data's loss, so that the trajectories' {@code loss} compares
 * between runs with and without a penalty.
 */
public final class PenaltyListener extends BaseTrainingListener {

    private final GradientPenalty penalty;

    private PenaltyListener(GradientPenalty penalty) {
        this.penalty = penalty;
    }

    /**
     * Makes {@code penalty} the one the network's next fits apply, replacing any earlier one and keeping
     * its other listeners; null removes the network's penalty.
     */
    public static void attach(MultiLayerNetwork network, GradientPenalty penalty) {
        // A mutable list: DL4J's layers keep the collection they are given and may add to it.
        List<TrainingListener> listeners = new ArrayList<>(network.getListeners());
        boolean removed = listeners.removeIf(l -> l instanceof PenaltyListener);
        if (penalty != null) {
            listeners.add(new PenaltyListener(penalty));
        }
        if (removed || penalty != null) {
            network.setListeners(listeners);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        boolean divides = network.getLayerWiseConfigurations().getConf(0).isMiniBatch();
        penalty.addGradient(network.params(), network.getFlattenedGradients(), divides ? network.batchSize() : 1);
    }
}
