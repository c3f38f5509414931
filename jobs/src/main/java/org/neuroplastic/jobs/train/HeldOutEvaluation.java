package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * Loss and accuracy of the driver's network on held-out minibatches, computed on the driver in inference
 * mode: plastic state is left as it is, and DL4J's {@code SparkDl4jMultiLayer.calculateScore} (which
 * corrupts the driver's network) is never called.
 *
 * @param examples examples evaluated
 * @param loss     mean per-example loss, without regularization
 * @param accuracy fraction classified correctly; null for regression
 */
public record HeldOutEvaluation(long examples, double loss, Double accuracy) {

    public static HeldOutEvaluation of(MultiLayerNetwork network, List<DataSet> batches, boolean classification) {
        return of(network, batches, classification, null);
    }

    /**
     * @param classes the output classes the prediction is chosen among (the task id given at test time, as
     *                in the task-incremental scenario), or null for all of them; the loss is always that of
     *                the whole output layer
     */
    public static HeldOutEvaluation of(MultiLayerNetwork network, List<DataSet> batches, boolean classification,
                                       int[] classes) {
        Predictions total = Predictions.NONE;
        for (DataSet batch : batches) {
            total = total.plus(Predictions.of(network, batch, classification, classes));
        }
        return total.asEvaluation(classification);
    }

    /** The evaluations of several held-out sets as one over their union: example-weighted means. */
    public static HeldOutEvaluation pooled(List<HeldOutEvaluation> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long examples = 0;
        double lossSum = 0;
        double correct = 0;
        boolean classification = true;
        for (HeldOutEvaluation part : parts) {
            examples += part.examples();
            lossSum += part.loss() * part.examples();
            classification &= part.accuracy() != null;
            correct += part.accuracy() == null ? 0 : part.accuracy() * part.examples();
        }
        return new HeldOutEvaluation(examples, examples == 0 ? Double.NaN : lossSum / examples,
                classification && examples > 0 ? correct / examples : null);
    }
}
