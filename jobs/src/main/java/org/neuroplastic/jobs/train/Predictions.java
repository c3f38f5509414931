package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.model.network.InferenceCheckpoint;
import org.neuroplastic.model.network.InferenceState;

/**
 * A network's predictions of some minibatches in inference mode, tallied: the one way this project scores a
 * minibatch, whether held out ({@link HeldOutEvaluation}, {@code HeldOutSplit}) or about to be learned from
 * (the online accuracy of Dohare et al., "Loss of plasticity in deep continual learning", Nature 2024, which
 * measures how well the network has learned the task so far on examples it has not yet seen).
 *
 * @param examples examples predicted
 * @param correct  of those, classified correctly (0 when not scored as a classification)
 * @param lossSum  sum of their per-example losses (the network's loss function over all its outputs, without
 *                 regularization)
 */
public record Predictions(long examples, long correct, double lossSum) {

    public static final Predictions NONE = new Predictions(0, 0, 0.0);

    /** {@code minibatch} scored as a classification among all of the network's outputs. */
    public static Predictions of(MultiLayerNetwork network, DataSet minibatch) {
        return of(network, minibatch, true, null);
    }

    /**
     * {@code minibatch} of task {@code task} scored as a classification among all of the network's outputs,
     * the layers whose {@code at_inference} reset is {@code per_task} predicting with the task's inference
     * state in {@code inference} (see {@link InferenceState}): the online prediction of a worker, whose
     * network learns from the minibatch next.
     */
    public static Predictions online(MultiLayerNetwork network, DataSet minibatch, InferenceState inference, int task) {
        try (InferenceCheckpoint batch = inference.open(network, task)) {
            return scored(batch, network, minibatch, true, null);
        }
    }

    /**
     * The network's prediction of {@code minibatch} in inference mode: no dropout, and plastic state left as
     * it is, so a training step that follows learns exactly what it would have learned without this
     * prediction. Layers whose state moves at inference ({@code at_inference}) are the exception: the
     * minibatch is one inference batch (see {@link InferenceCheckpoint}), whose state change stays in the
     * network under {@code reset: never} and {@code per_task} (no inference state here: see
     * {@link #online}) and is put back under {@code per_batch}.
     *
     * @param classification whether to count correct classifications (a second pass over the minibatch)
     * @param classes        the output classes the prediction is chosen among (the task id given at test
     *                       time, as in the task-incremental scenario), or null for all of them; the loss is
     *                       always that of the whole output layer
     */
    public static Predictions of(MultiLayerNetwork network, DataSet minibatch, boolean classification,
                                 int[] classes) {
        try (InferenceCheckpoint batch = InferenceCheckpoint.of(network)) {
            return scored(batch, network, minibatch, classification, classes);
        }
    }

    private static Predictions scored(InferenceCheckpoint batch, MultiLayerNetwork network, DataSet minibatch,
                                      boolean classification, int[] classes) {
        double lossSum = network.scoreExamples(minibatch, false).sumNumber().doubleValue();
        long correct = 0;
        if (classification) {
            // The accuracy pass reads the state the loss pass read, so the batch moves the state once.
            batch.rewind();
            correct = correct(network.output(minibatch.getFeatures(), false), minibatch.getLabels(), classes);
        }
        return new Predictions(minibatch.numExamples(), correct, lossSum);
    }

    /** Examples whose highest output among {@code classes} (all when null) is their label's. */
    static long correct(INDArray output, INDArray labels, int[] classes) {
        INDArray actual = labels.argMax(1);
        if (classes == null) {
            return output.argMax(1).eq(actual).castTo(DataType.INT32).sumNumber().longValue();
        }
        long[] chosen = output.getColumns(classes).argMax(1).toLongVector();
        long[] expected = actual.toLongVector();
        long correct = 0;
        for (int i = 0; i < chosen.length; i++) {
            correct += classes[(int) chosen[i]] == expected[i] ? 1 : 0;
        }
        return correct;
    }

    public Predictions plus(Predictions other) {
        return new Predictions(examples + other.examples, correct + other.correct, lossSum + other.lossSum);
    }

    /** Fraction of the predicted examples classified correctly; NaN when none was predicted. */
    public double accuracy() {
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /** Mean per-example loss of the predictions; NaN when none was predicted. */
    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    /** As a held-out evaluation: {@code accuracy} is null unless scored as a classification. */
    HeldOutEvaluation asEvaluation(boolean classification) {
        return new HeldOutEvaluation(examples, meanLoss(), classification && examples > 0 ? accuracy() : null);
    }
}
