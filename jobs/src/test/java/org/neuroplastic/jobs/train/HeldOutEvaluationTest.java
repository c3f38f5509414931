package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeldOutEvaluationTest {

    /** Four examples over four classes; labels 2, 3, 2, 0. */
    private static final INDArray OUTPUT = Nd4j.createFromArray(new float[][] {
        {0.50f, 0.10f, 0.30f, 0.10f},
        {0.05f, 0.60f, 0.15f, 0.20f},
        {0.10f, 0.20f, 0.30f, 0.40f},
        {0.40f, 0.35f, 0.05f, 0.20f},
    });
    private static final INDArray LABELS = Nd4j.createFromArray(new float[][] {
        {0, 0, 1, 0},
        {0, 0, 0, 1},
        {0, 0, 1, 0},
        {1, 0, 0, 0},
    });

    @Test
    void overAllClassesTheHighestOutputIsThePrediction() {
        // predictions 0, 1, 3, 0: only the last is right
        assertThat(Predictions.correct(OUTPUT, LABELS, null)).isEqualTo(1);
    }

    @Test
    void givenTheTaskTheHighestOutputAmongItsClassesIsThePrediction() {
        // among classes 2 and 3: predictions 2, 3, 3 -> the first two are right
        assertThat(Predictions.correct(OUTPUT.getRows(0, 1, 2), LABELS.getRows(0, 1, 2), new int[] {2, 3}))
                .isEqualTo(2);
        // among classes 0 and 1: prediction 0 for the last example, right
        assertThat(Predictions.correct(OUTPUT.getRows(3), LABELS.getRows(3), new int[] {0, 1})).isEqualTo(1);
    }

    @Test
    void pooledEvaluationsWeighEachSetByItsExamples() {
        HeldOutEvaluation pooled = HeldOutEvaluation.pooled(List.of(
                new HeldOutEvaluation(100, 1.0, 0.9), new HeldOutEvaluation(300, 2.0, 0.5)));
        assertThat(pooled.examples()).isEqualTo(400);
        assertThat(pooled.loss()).isCloseTo(1.75, within(1e-12));
        assertThat(pooled.accuracy()).isCloseTo(0.6, within(1e-12));
        assertThat(HeldOutEvaluation.pooled(List.of(new HeldOutEvaluation(10, 3.0, null),
                new HeldOutEvaluation(10, 1.0, null))).accuracy()).isNull();
    }

    @Test
    void withPlasticityAtInferenceEachMinibatchMovesTheStateOnceAndPerBatchPutsItBack() {
        List<DataSet> batches = SmallNetworks.minibatches(2, 16, 21);
        MultiLayerNetwork evaluated = PredictionsTest.plasticAtInference("never");
        MultiLayerNetwork predicted = PredictionsTest.plasticAtInference("never");
        HeldOutEvaluation.of(evaluated, batches, true);
        batches.forEach(b -> predicted.output(b.getFeatures(), false));
        // A loss pass and an accuracy pass per minibatch, yet the state moved as by one pass per minibatch.
        assertThat(evaluated.params()).isEqualTo(predicted.params());
        assertThat(evaluated.params()).isNotEqualTo(PredictionsTest.plasticAtInference("never").params());

        MultiLayerNetwork perBatch = PredictionsTest.plasticAtInference("per_batch");
        INDArray before = perBatch.params().dup();
        HeldOutEvaluation.of(perBatch, batches, true);
        assertThat(perBatch.params()).isEqualTo(before);
    }
}
