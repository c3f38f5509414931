package org.neuroplastic.jobs.train;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

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
        long examples = 0;
        double lossSum = 0;
        long correct = 0;
        for (DataSet batch : batches) {
            lossSum += network.scoreExamples(batch, false).sumNumber().doubleValue();
            examples += batch.numExamples();
            if (classification) {
                INDArray predicted = network.output(batch.getFeatures(), false).argMax(1);
                INDArray actual = batch.getLabels().argMax(1);
                correct += predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
            }
        }
        double loss = examples == 0 ? Double.NaN : lossSum / examples;
        Double accuracy = classification && examples > 0 ? (double) correct / examples : null;
        return new HeldOutEvaluation(examples, loss, accuracy);
    }
}
