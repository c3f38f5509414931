package org.neuroplastic.model.consolidation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds a consolidation penalty Omega(theta) = (lambda / 2) (sum_i F_i (theta_i - a_i)^2 + c) to a network's
 * training objective, from the importance F and anchor a of {@link ElasticWeightConsolidation#trainingPenalty}.
 *
 * <p>As a listener, it works where DL4J calls {@link #onGradientCalculation}: after backprop and before the
 * updater (BaseOptimizer.gradientAndScore in 1.0.0-M2). The gradient view then holds the SUM of the
 * minibatch's per-example gradients: the loss functions return per-example gradients and the updater
 * divides by the minibatch size afterwards (BaseMultiLayerUpdater.divideByMinibatch), while the score is
 * already the mean loss. So the penalty's gradient lambda F_i (theta_i - a_i) is added multiplied by the
 * minibatch size, making each step that of mean loss + Omega whatever the minibatch size, and Omega is added
 * to the score, as DL4J adds its own l1/l2 terms. Where F_i = 0 (plastic state, parameters no task needed)
 * the gradient is left exactly as it was.
 *
 * <p>Thread-safe and Serializable: one instance may serve several networks at once (Spark's executor
 * threads share a broadcast value in local mode; DL4J's Spark master ships its listeners to the workers).
 * The values are plain arrays; their native copies are made once per JVM, on first use.
 */
public final class ConsolidationPenalty extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double lambda;
    private final float[] importance;
    private final float[] anchor;
    private final double constant;
    private transient volatile INDArray[] natives;

    ConsolidationPenalty(double lambda, float[] importance, float[] anchor, double constant) {
        if (importance.length != anchor.length) {
            throw new IllegalArgumentException("expected as many importances as anchors, found " + importance.length
                    + " and " + anchor.length);
        }
        this.lambda = lambda;
        this.importance = importance;
        this.anchor = anchor;
        this.constant = constant;
    }

    public double lambda() {
        return lambda;
    }

    public int parameters() {
        return importance.length;
    }

    /** Makes this the network's only consolidation penalty, keeping its other listeners. */
    public void attachTo(MultiLayerNetwork network) {
        List<TrainingListener> listeners = new ArrayList<>(network.getListeners());
        listeners.removeIf(l -> l instanceof ConsolidationPenalty);
        listeners.add(this);
        network.setListeners(listeners);
    }

    /** Removes any consolidation penalty from the network's listeners. */
    public static void detachFrom(MultiLayerNetwork network) {
        List<TrainingListener> listeners = new ArrayList<>(network.getListeners());
        if (listeners.removeIf(l -> l instanceof ConsolidationPenalty)) {
            network.setListeners(listeners);
        }
    }

    /**
     * Adds {@code scale} times the penalty's gradient lambda F (theta - a) at {@code parameters} to
     * {@code gradient}, in place (both flat, same layout as the network's {@code params()}).
     */
    public void addGradient(INDArray parameters, INDArray gradient, double scale) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray[] arrays = natives(parameters);
            INDArray pulled = parameters.sub(arrays[1]).muli(arrays[0]).muli(lambda * scale);
            gradient.addi(pulled);
        }
    }

    /** Omega at {@code parameters}. */
    public double value(INDArray parameters) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray[] arrays = natives(parameters);
            INDArray difference = parameters.sub(arrays[1]);
            INDArray weighted = difference.mul(arrays[0]);
            return lambda / 2 * (difference.muli(weighted).sumNumber().doubleValue() + constant);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        INDArray parameters = network.params();
        addGradient(parameters, network.gradient().gradient(), network.conf().isMiniBatch() ? network.batchSize() : 1);
        network.setScore(network.score() + value(parameters));
    }

    /** F and a as native arrays of the parameters' type and shape. */
    private INDArray[] natives(INDArray parameters) {
        if (parameters.length() != importance.length) {
            throw new IllegalStateException("the consolidation penalty covers " + importance.length
                    + " parameters, the network has " + parameters.length());
        }
        INDArray[] arrays = natives;
        if (arrays == null || arrays[0].dataType() != parameters.dataType()) {
            synchronized (this) {
                arrays = natives;
                if (arrays == null || arrays[0].dataType() != parameters.dataType()) {
                    arrays = new INDArray[] {
                        Nd4j.createFromArray(importance).castTo(parameters.dataType()).reshape(parameters.shape()),
                        Nd4j.createFromArray(anchor).castTo(parameters.dataType()).reshape(parameters.shape())};
                    natives = arrays;
                }
            }
        }
        return arrays;
    }
}
