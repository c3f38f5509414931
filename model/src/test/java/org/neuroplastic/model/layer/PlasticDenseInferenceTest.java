package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.model.network.InferenceCheckpoint;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.InferencePlasticity.Reset;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;

/**
 * Plasticity at inference ({@code at_inference}): off, inference passes leave the state alone; on, they move
 * it as a training pass does and never move a learned parameter; {@code per_batch} puts it back after the batch.
 *
 * <p>The hand case: 2 inputs x 2 outputs, identity activation, {@code W = [[1, 0], [0, 2]]}, b = 0, the
 * {@code decay} rule with eta = 0.5 and alpha fixed at 0 (so the trace does not change the output), H = 0.
 * <pre>
 *   x = [[1, 2], [3, -1]]  ->  y = x.W = [[1, 4], [3, -2]]
 *   &lt;x^T y&gt; = x^T y / 2 = [[1+9, 4-6], [2-3, 8+2]] / 2 = [[5, -1], [-0.5, 5]]
 *   H1 = (1 - 0.5) 0 + 0.5 &lt;x^T y&gt; = [[2.5, -0.5], [-0.25, 2.5]]
 *   H2 = 0.5 H1 + 0.5 &lt;x^T y&gt; = [[3.75, -0.75], [-0.375, 3.75]]   (same batch again)
 * </pre>
 */
class PlasticDenseInferenceTest {

    private static final INDArray X = matrix(new double[] {1, 2}, new double[] {3, -1});

    private static PlasticitySettings decay(double alpha, InferencePlasticity atInference) {
        return PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.DECAY, 0.5, PlasticityCoefficient.FIXED, alpha))
                .withAtInference(atInference);
    }

    private static PlasticitySettings everyMechanism(InferencePlasticity atInference) {
        return new PlasticitySettings(
                HebbianSettings.on(HebbianRule.OJA, 0.3, PlasticityCoefficient.FREE, 0.4),
                ScalingSettings.on(0.5, 0.2, 0.5, 2.0),
                StructuralSettings.on(0.75, 0.5, 1000, Regrowth.HEBBIAN),
                new AdaptationSettings(true, 0.5, 0.2, 1.3), 0.4, atInference);
    }

    private static Map<String, INDArray> parameters(MultiLayerNetwork net, boolean state) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        TinyPlasticLayer.layer(net).paramTable().forEach((key, value) -> {
            if (PlasticDenseParameters.isState(key) == state) {
                copies.put(key, value.dup());
            }
        });
        return copies;
    }

    @Test
    void offAnInferencePassLeavesEveryStateArrayUnchanged() {
        MultiLayerNetwork net = TinyPlasticLayer.network(everyMechanism(InferencePlasticity.off()));
        TinyPlasticLayer.trainingPass(net, TinyPlasticLayer.x());
        INDArray before = net.params().dup();
        net.output(TinyPlasticLayer.x2(), false);
        net.scoreExamples(new DataSet(TinyPlasticLayer.x2(), matrix(new double[] {0, 1, 0}, new double[] {1, 0, 0})), false);
        net.feedForward(TinyPlasticLayer.x2(), false);
        assertIdentical(net.params(), before);
    }

    @Test
    void onAnInferencePassMovesTheTraceByTheDecayRule() {
        MultiLayerNetwork net = TinyPlasticLayer.twoByTwo(decay(0, new InferencePlasticity(true, Reset.NEVER)));
        INDArray y = net.output(X, false);
        assertClose(y, matrix(new double[] {1, 4}, new double[] {3, -2}), 1e-12);
        assertClose(TinyPlasticLayer.param(net, PlasticDenseParameters.TRACE),
                matrix(new double[] {2.5, -0.5}, new double[] {-0.25, 2.5}), 1e-12);
        net.output(X, false);
        assertClose(TinyPlasticLayer.param(net, PlasticDenseParameters.TRACE),
                matrix(new double[] {3.75, -0.75}, new double[] {-0.375, 3.75}), 1e-12);
    }

    @Test
    void onAnInferencePassMovesTheStateExactlyAsATrainingPassAndNoLearnedParameter() {
        InferencePlasticity on = new InferencePlasticity(true, Reset.NEVER);
        MultiLayerNetwork inferring = TinyPlasticLayer.network(everyMechanism(on));
        MultiLayerNetwork training = TinyPlasticLayer.network(everyMechanism(on));
        TinyPlasticLayer.trainingPass(inferring, TinyPlasticLayer.x());
        TinyPlasticLayer.trainingPass(training, TinyPlasticLayer.x());
        Map<String, INDArray> learned = parameters(inferring, false);
        Map<String, INDArray> stateBefore = parameters(inferring, true);

        INDArray inferred = inferring.output(TinyPlasticLayer.x2(), false);
        INDArray trained = TinyPlasticLayer.trainingPass(training, TinyPlasticLayer.x2());

        assertIdentical(inferred, trained);
        assertIdentical(parameters(inferring, true), parameters(training, true));
        assertIdentical(parameters(inferring, false), learned);
        Map<String, INDArray> stateAfter = parameters(inferring, true);
        for (String moved : new String[] {PlasticDenseParameters.TRACE, PlasticDenseParameters.ACTIVITY,
                PlasticDenseParameters.SCALING, PlasticDenseParameters.THRESHOLD}) {
            assertThat(stateAfter.get(moved)).as(moved).isNotEqualTo(stateBefore.get(moved));
        }
        assertIdentical(stateAfter.get(PlasticDenseParameters.MASK), stateBefore.get(PlasticDenseParameters.MASK));
    }

    @Test
    void perBatchAdaptsWithinTheBatchAndPutsTheStateBackAfterIt() {
        // alpha = 0.5: the batch's second pass reads W + 0.5 H1 = [[2.25, -0.25], [-0.125, 3.25]].
        MultiLayerNetwork net = TinyPlasticLayer.twoByTwo(decay(0.5, new InferencePlasticity(true, Reset.PER_BATCH)));
        try (InferenceCheckpoint batch = InferenceCheckpoint.of(net)) {
            assertClose(net.output(X, false), matrix(new double[] {1, 4}, new double[] {3, -2}), 1e-12);
            assertClose(net.output(X, false), matrix(new double[] {2, 6.25}, new double[] {6.875, -4}), 1e-12);
        }
        assertIdentical(TinyPlasticLayer.param(net, PlasticDenseParameters.TRACE), matrix(new double[] {0, 0}, new double[] {0, 0}));
        assertClose(net.output(X, false), matrix(new double[] {1, 4}, new double[] {3, -2}), 1e-12);
    }

    @Test
    void neverKeepsWhatTheBatchChangedAndRewindPutsBackEveryPolicy() {
        MultiLayerNetwork net = TinyPlasticLayer.twoByTwo(decay(0, new InferencePlasticity(true, Reset.NEVER)));
        try (InferenceCheckpoint batch = InferenceCheckpoint.of(net)) {
            net.output(X, false);
        }
        INDArray h1 = matrix(new double[] {2.5, -0.5}, new double[] {-0.25, 2.5});
        assertClose(TinyPlasticLayer.param(net, PlasticDenseParameters.TRACE), h1, 1e-12);
        try (InferenceCheckpoint probe = InferenceCheckpoint.of(net)) {
            net.output(X, false);
            probe.rewind();
        }
        assertClose(TinyPlasticLayer.param(net, PlasticDenseParameters.TRACE), h1, 1e-12);
    }
}
