package org.neuroplastic.jobs.train;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.model.network.InferenceCheckpoint;

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
        long examples = 0;
        double lossSum = 0;
        long correct = 0;
        for (DataSet batch : batches) {
            // One inference batch per minibatch (see InferenceCheckpoint); the accuracy pass reads the state the
            // loss pass read, so each minibatch moves a state that moves at inference once.
            try (InferenceCheckpoint checkpoint = InferenceCheckpoint.of(network)) {
                lossSum += network.scoreExamples(batch, false).sumNumber().doubleValue();
                examples += batch.numExamples();
                if (classification) {
                    checkpoint.rewind();
                    correct += correct(network.output(batch.getFeatures(), false), batch.getLabels(), classes);
                }
            }
        }
        double loss = examples == 0 ? Double.NaN : lossSum / examples;
        Double accuracy = classification && examples > 0 ? (double) correct / examples : null;
        return new HeldOutEvaluation(examples, loss, accuracy);
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

    /** Examples whose highest output among {@code classes} (all when null) is their label's. */
    static long correct(INDArray output, INDArray labels, int[] classes) {
        INDArray actual = labels.argMax(1);
        if (classes == null) {
            return output.argMax(1).eq(actual).castTo(DataType.INT).sumNumber().longValue();
        }
        long[] chosen = output.getColumns(classes).argMax(1).toLongVector();
        long[] expected = actual.toLongVector();
        long correct = 0;
        for (int i = 0; i < chosen.length; i++) {
            correct += classes[(int) chosen[i]] == expected[i] ? 1 : 0;
        }
        return correct;
    }
}
