package org.neuroplastic.model.consolidation;

import java.io.Serializable;
import java.nio.ByteBuffer;
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
 * Adds a consolidation penalty (lambda / 2) (sum_i F_i (theta_i - a_i)^2 + c) to a network's training
 * objective, from the importance F and anchor a of {@link ElasticWeightConsolidation#trainingPenalty}.
 *
 * <p>DL4J calls {@link #onGradientCalculation} after backprop and before the updater (BaseOptimizer
 * .gradientAndScore in 1.0.0-M2). At that point the gradient view holds the SUM of the examples'
 * gradients: the loss functions return per-example gradients and the updater divides by the minibatch
 * size afterwards (BaseMultiLayerUpdater.divideByMinibatch), while the score is already the mean loss.
 * The penalty's gradient lambda F_i (theta_i - a_i) is therefore added multiplied by the minibatch size,
 * so the step is that of mean loss + penalty whatever the minibatch size, and the penalty is added to the
 * score, as DL4J adds its own l1/l2 terms. Where F_i = 0 (plastic state, parameters no task needed) the
 * gradient is left exactly as it was.
 *
 * <p>Serializable so that DL4J's Spark training master can ship it to its workers; the native arrays are
 * rebuilt on first use in each JVM. One instance belongs to one network at a time (it keeps work arrays).
 */
public final class ConsolidationPenalty extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double lambda;
    private final float[] importance;
    private final float[] anchor;
    private final double constant;
    private transient INDArray importanceArray;
    private transient INDArray anchorArray;
    private transient INDArray difference;
    private transient INDArray pulled;

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

    /** The penalty at the network's current parameters. */
    public double value(MultiLayerNetwork network) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            prepare(network.params());
            return valueAndPull(network.params());
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        INDArray params = network.params();
        prepare(params);
        double value = valueAndPull(params);
        double scale = network.conf().isMiniBatch() ? lambda * network.batchSize() : lambda;
        network.gradient().gradient().addi(pulled.muli(scale));
        network.setScore(network.score() + value);
    }

    /** Leaves F (theta - a) in {@code pulled}; returns the penalty. */
    private double valueAndPull(INDArray params) {
        difference.assign(params).subi(anchorArray);
        pulled.assign(difference).muli(importanceArray);
        double weightedSquares = difference.muli(pulled).sumNumber().doubleValue();
        return lambda / 2 * (weightedSquares + constant);
    }

    private void prepare(INDArray params) {
        if (params.length() != importance.length) {
            throw new IllegalStateException("the consolidation penalty covers " + importance.length
                    + " parameters, the network has " + params.length());
        }
        if (importanceArray == null || importanceArray.dataType() != params.dataType()) {
            importanceArray = Nd4j.createFromArray(importance).castTo(params.dataType()).reshape(params.shape());
            anchorArray = Nd4j.createFromArray(anchor).castTo(params.dataType()).reshape(params.shape());
            difference = Nd4j.create(params.dataType(), params.shape());
            pulled = Nd4j.create(params.dataType(), params.shape());
        }
    }

    /** The penalty as bytes, for a broadcast: lambda, c, count, then F and a as floats. */
    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 8 + 4 + 8 * importance.length);
        buffer.putDouble(lambda).putDouble(constant).putInt(importance.length);
        buffer.asFloatBuffer().put(importance).put(anchor);
        return buffer.array();
    }

    public static ConsolidationPenalty decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        double lambda = buffer.getDouble();
        double constant = buffer.getDouble();
        int count = buffer.getInt();
        float[] importance = new float[count];
        float[] anchor = new float[count];
        buffer.asFloatBuffer().get(importance).get(anchor);
        return new ConsolidationPenalty(lambda, importance, anchor, constant);
    }
}
