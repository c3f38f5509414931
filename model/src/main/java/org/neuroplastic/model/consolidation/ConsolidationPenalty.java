package org.neuroplastic.model.consolidation;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The consolidation penalty Omega(theta) = (lambda / 2) (sum_i F_i (theta_i - a_i)^2 + c), from the importance
 * F and anchor a of {@link ElasticWeightConsolidation#trainingPenalty}; {@link PenaltyListener} makes it a
 * term of the training objective. Where F_i = 0 (plastic state, parameters no task needed) the gradient is
 * left exactly as it was. The values are plain arrays; their native copies are made once per JVM, on first use.
 */
public final class ConsolidationPenalty implements GradientPenalty {

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

    /** Adds {@code scale} times the penalty's gradient lambda F (theta - a). */
    @Override
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
