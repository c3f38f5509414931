package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Synaptic Intelligence's per-parameter path integral over a network's training steps (Zenke, Poole and
 * Ganguli 2017, "Continual Learning Through Synaptic Intelligence", ICML, eq. 4 and the sum after it):
 * <pre>
 *   omega_k += -g_k (theta_k(t+1) - theta_k(t))
 * </pre>
 * at every step, with g the gradient of the data's mean minibatch loss WITHOUT any penalty (the paper's
 * "unregularized" gradient; the authors' code, pathint/protocols.py, uses the same) and theta(t+1) - theta(t)
 * the step's whole update, whatever the updater (SGD, Adam, weight decay).
 *
 * <p>DL4J calls {@link #onGradientCalculation} after backprop and before the updater; there the flat
 * gradient is the minibatch's SUM (see {@link PenaltyListener}), so it is divided by the minibatch size.
 * This listener must run before any {@link PenaltyListener}, which adds the penalty's gradient in place:
 * {@link #attach} puts it first. {@link #iterationDone} runs after the update. Plastic state has gradient
 * exactly 0, so its path integral stays 0 whatever its forward passes do to it.
 */
public final class PathIntegral extends BaseTrainingListener {

    private INDArray omega;
    private INDArray gradient;
    private INDArray before;

    private PathIntegral() {
    }

    /**
     * Starts a path integral of 0 over the network's next fits, replacing any earlier one; it runs before
     * the network's other listeners (a penalty must not be in the gradient it reads).
     */
    public static PathIntegral attach(MultiLayerNetwork network) {
        List<TrainingListener> listeners = new ArrayList<>(network.getListeners());
        listeners.removeIf(l -> l instanceof PathIntegral);
        PathIntegral integral = new PathIntegral();
        listeners.add(0, integral);
        network.setListeners(listeners);
        return integral;
    }

    /** Removes the network's path integral, if any, keeping its other listeners. */
    public static void detach(MultiLayerNetwork network) {
        List<TrainingListener> listeners = new ArrayList<>(network.getListeners());
        if (listeners.removeIf(l -> l instanceof PathIntegral)) {
            network.setListeners(listeners);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        boolean divides = network.getLayerWiseConfigurations().getConf(0).isMiniBatch();
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            gradient = network.getFlattenedGradients().dup();
            if (divides) {
                gradient.divi(network.batchSize());
            }
            before = network.params().dup();
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (gradient == null) {
            return;
        }
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            // -g (theta(t+1) - theta(t)) = g (theta(t) - theta(t+1))
            INDArray step = before.subi(network.params()).muli(gradient);
            omega = omega == null ? step : omega.addi(step);
        }
        gradient = null;
        before = null;
    }

    /** omega, one value per element of the network's {@code params()}; 0 before the first step. */
    public float[] values(MultiLayerNetwork network) {
        return omega == null ? new float[Math.toIntExact(network.numParams())] : omega.dup().data().asFloat();
    }
}
