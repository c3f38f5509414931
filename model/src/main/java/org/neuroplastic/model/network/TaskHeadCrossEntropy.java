package org.neuroplastic.model.network;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropy over a softmax restricted to one output head: the outputs are cut into heads of
 * {@code headSize} consecutive classes (one per task of a split stream), and each example's softmax runs over
 * the head that holds its label only, the other heads' logits masked out (set to -infinity before the softmax).
 * This is the multi-headed output of the task-incremental scenario (van de Ven and Tolias 2019, "Three
 * scenarios for continual learning", section 2; Zenke et al. 2017 train split MNIST this way): the task id,
 * here read from the label, selects the head, and the other tasks' output units receive no gradient.
 *
 * <p>For an example of label y in head h, with z the logits: p_j = exp(z_j) / sum_{i in h} exp(z_i) for j in h,
 * 0 elsewhere; the loss is -log p_y; its gradient with respect to z is p - onehot(y) inside h and exactly 0
 * outside it. The network's activation function (softmax) computes the restricted softmax.
 */
public final class TaskHeadCrossEntropy implements ILossFunction {

    private static final long serialVersionUID = 1L;
    /** Added to the logits outside the head: exp of it underflows to 0 in float32 and float64. */
    private static final double MASKED = -1e30;
    /** Probabilities are floored here before the log, as DL4J's LossMCXENT clips them. */
    private static final double FLOOR = 1e-10;

    private int headSize;

    /** For DL4J's configuration JSON, which restores the field through its setter. */
    public TaskHeadCrossEntropy() {
    }

    public TaskHeadCrossEntropy(int headSize) {
        if (headSize < 2) {
            throw new IllegalArgumentException("a head needs at least 2 classes, found " + headSize);
        }
        this.headSize = headSize;
    }

    public int getHeadSize() {
        return headSize;
    }

    public void setHeadSize(int headSize) {
        this.headSize = headSize;
    }

    /** 1 at the outputs of the head that holds each example's label, 0 elsewhere; shape of {@code labels}. */
    public INDArray headMask(INDArray labels) {
        INDArray mask = labels.ulike().assign(0);
        long[] label = labels.argMax(1).toLongVector();
        for (int i = 0; i < label.length; i++) {
            long first = label[i] / headSize * headSize;
            for (long j = first; j < first + headSize; j++) {
                mask.putScalar(i, j, 1.0);
            }
        }
        return mask;
    }

    /** The softmax over each example's head (0 outside it). */
    public INDArray headProbabilities(INDArray labels, INDArray preOutput, IActivation softmax) {
        INDArray mask = headMask(labels);
        INDArray masked = preOutput.dup().addi(mask.rsub(1.0).muli(MASKED));
        return softmax.getActivation(masked, true).muli(mask);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray probabilities = headProbabilities(labels, preOutput, activationFn);
        INDArray logs = Transforms.log(Transforms.max(probabilities, FLOOR, false), false);
        INDArray scores = logs.muli(labels).sum(true, 1).negi();
        return applyMask(scores, mask);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray headMask = headMask(labels);
        INDArray gradient = headProbabilities(labels, preOutput, activationFn).subi(labels).muli(headMask);
        return applyMask(gradient, mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /** DL4J's label mask: one value per example (a column) or per output. */
    private static INDArray applyMask(INDArray values, INDArray mask) {
        if (mask == null) {
            return values;
        }
        INDArray cast = mask.castTo(values.dataType());
        return cast.isColumnVector() || cast.size(1) != values.size(1) ? values.muliColumnVector(cast.reshape(-1, 1))
                : values.muli(cast);
    }

    @Override
    public String name() {
        return "TaskHeadCrossEntropy(" + headSize + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskHeadCrossEntropy loss && loss.headSize == headSize;
    }

    @Override
    public int hashCode() {
        return headSize;
    }

    @Override
    public String toString() {
        return name();
    }
}
