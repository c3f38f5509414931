package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.model.network.InferenceCheckpoint;

/**
 * The predictions of an online stream's workers, each made on a minibatch just before the worker learns from
 * it, summed: the online accuracy of Dohare et al. ("Loss of plasticity in deep continual learning", Nature
 * 2024), which measures how well the network has learned the task so far on examples it has not yet seen.
 *
 * @param examples examples predicted
 * @param correct  of those, classified correctly
 * @param lossSum  sum of their per-example losses (the network's loss function over all its outputs, without
 *                 regularization)
 */
public record OnlinePredictions(long examples, long correct, double lossSum) {

    public static final OnlinePredictions NONE = new OnlinePredictions(0, 0, 0.0);

    /**
     * The network's prediction of {@code minibatch} in inference mode, as {@code HeldOutEvaluation} makes it:
     * no dropout, and plastic state left as it is, so the step that follows learns exactly what it would have
     * learned without this prediction. Layers whose state moves at inference ({@code at_inference}) are the
     * exception: the minibatch is one inference batch, whose state change stays in the training network under
     * {@code reset: never} and is put back under {@code per_batch}.
     */
    public static OnlinePredictions of(MultiLayerNetwork network, DataSet minibatch) {
        try (InferenceCheckpoint batch = InferenceCheckpoint.of(network)) {
            long correct = HeldOutEvaluation.correct(network.output(minibatch.getFeatures(), false),
                    minibatch.getLabels(), null);
            // The loss pass reads the state the prediction read, so the batch moves the state once.
            batch.rewind();
            double lossSum = network.scoreExamples(minibatch, false).sumNumber().doubleValue();
            return new OnlinePredictions(minibatch.numExamples(), correct, lossSum);
        }
    }

    public OnlinePredictions plus(OnlinePredictions other) {
        return new OnlinePredictions(examples + other.examples, correct + other.correct, lossSum + other.lossSum);
    }

    /** Fraction of the predicted examples classified correctly; NaN when none was predicted. */
    public double accuracy() {
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /** Mean per-example loss of the predictions; NaN when none was predicted. */
    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }
}
