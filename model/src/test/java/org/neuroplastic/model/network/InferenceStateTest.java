package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.layer.TinyPlasticLayer;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.InferencePlasticity.Reset;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;

/**
 * {@code at_inference.reset: per_task}: a task's inference batches move a copy of the state kept apart from
 * training's, carried from one batch of the task to the next and dropped at a new task.
 *
 * <p>The hand case: 2 inputs x 2 outputs, identity activation, {@code W = [[1, 0], [0, 2]]}, b = 0, the
 * {@code decay} rule with eta = 0.5 and alpha fixed at 0.5, H = 0; inference on x, training on the identity.
 * <pre>
 *   inference 1 (H = 0):  y = x.W = [[1, 4], [3, -2]];  H_inf = 0.5 &lt;x^T y&gt; = [[2.5, -0.5], [-0.25, 2.5]]
 *   training 1 (H = 0):   y = W;  H_train = 0.5 &lt;I^T W&gt; = 0.5 [[0.5, 0], [0, 1]] = [[0.25, 0], [0, 0.5]]
 *   inference 2, per_batch (H_train):  x.(W + 0.5 H_train) = x.[[1.125, 0], [0, 2.25]] = [[1.125, 4.5], [3.375, -2.25]]
 *   inference 2, per_task (H_inf):     x.(W + 0.5 H_inf) = x.[[2.25, -0.25], [-0.125, 3.25]] = [[2, 6.25], [6.875, -4]]
 * </pre>
 */
class InferenceStateTest {

    private static final INDArray X = matrix(new double[] {1, 2}, new double[] {3, -1});
    private static final INDArray IDENTITY = matrix(new double[] {1, 0}, new double[] {0, 1});

    private static PlasticitySettings decay(Reset reset) {
        return PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.DECAY, 0.5, PlasticityCoefficient.FIXED, 0.5))
                .withAtInference(new InferencePlasticity(true, reset));
    }

    /** One inference batch of {@code task}: its output. */
    private static INDArray infer(MultiLayerNetwork net, InferenceState state, int task) {
        return infer(net, state, task, X);
    }

    private static INDArray infer(MultiLayerNetwork net, InferenceState state, int task, INDArray x) {
        try (InferenceCheckpoint batch = state.open(net, task)) {
            return net.output(x, false);
        }
    }

    @Test
    void aTaskCarriesItsInferenceStateFromBatchToBatchAndTrainingNeverSeesIt() {
        MultiLayerNetwork perTask = TinyPlasticLayer.twoByTwo(decay(Reset.PER_TASK));
        MultiLayerNetwork perBatch = TinyPlasticLayer.twoByTwo(decay(Reset.PER_BATCH));
        MultiLayerNetwork trainedOnly = TinyPlasticLayer.twoByTwo(decay(Reset.PER_TASK));
        InferenceState tasks = new InferenceState();
        InferenceState unused = new InferenceState();
        INDArray[] taskOutputs = new INDArray[3];
        INDArray[] batchOutputs = new INDArray[3];
        for (int i = 0; i < 3; i++) {
            taskOutputs[i] = infer(perTask, tasks, 0);
            batchOutputs[i] = infer(perBatch, unused, 0);
            TinyPlasticLayer.trainingPass(perTask, IDENTITY);
            TinyPlasticLayer.trainingPass(perBatch, IDENTITY);
            TinyPlasticLayer.trainingPass(trainedOnly, IDENTITY);
        }
        assertClose(taskOutputs[0], matrix(new double[] {1, 4}, new double[] {3, -2}), 1e-12);
        assertIdentical(taskOutputs[0], batchOutputs[0]);
        assertClose(batchOutputs[1], matrix(new double[] {1.125, 4.5}, new double[] {3.375, -2.25}), 1e-12);
        assertClose(taskOutputs[1], matrix(new double[] {2, 6.25}, new double[] {6.875, -4}), 1e-12);

        INDArray newTask = infer(perTask, tasks, 1);
        assertIdentical(newTask, infer(perBatch, unused, 1));
        assertThat(newTask.equalsWithEps(taskOutputs[2], 1e-9)).as("the new task starts from the training state").isFalse();
        assertIdentical(perTask.params(), trainedOnly.params());
        assertIdentical(perBatch.params(), trainedOnly.params());
    }

    @Test
    void everyStateArrayInferenceMovesIsKeptApartFromTraining() {
        PlasticitySettings every = new PlasticitySettings(
                HebbianSettings.on(HebbianRule.OJA, 0.3, PlasticityCoefficient.FREE, 0.4),
                ScalingSettings.on(0.5, 0.2, 0.5, 2.0), StructuralSettings.off(),
                new AdaptationSettings(true, 0.5, 0.2, 1.3), 0.4, new InferencePlasticity(true, Reset.PER_TASK));
        MultiLayerNetwork inferring = TinyPlasticLayer.network(every);
        MultiLayerNetwork trainedOnly = TinyPlasticLayer.network(every);
        InferenceState tasks = new InferenceState();
        for (int task = 0; task < 2; task++) {
            for (int i = 0; i < 3; i++) {
                infer(inferring, tasks, task, TinyPlasticLayer.x2());
                TinyPlasticLayer.trainingPass(inferring, TinyPlasticLayer.x());
                TinyPlasticLayer.trainingPass(trainedOnly, TinyPlasticLayer.x());
            }
        }
        assertIdentical(inferring.params(), trainedOnly.params());
    }

    @Test
    void withoutAnInferenceStateAPerTaskLayerKeepsWhatTheBatchChangedAsNever() {
        MultiLayerNetwork perTask = TinyPlasticLayer.twoByTwo(decay(Reset.PER_TASK));
        MultiLayerNetwork never = TinyPlasticLayer.twoByTwo(decay(Reset.NEVER));
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {perTask, never}) {
            try (InferenceCheckpoint batch = InferenceCheckpoint.of(net)) {
                net.output(X, false);
            }
        }
        assertClose(TinyPlasticLayer.param(perTask, PlasticDenseParameters.TRACE),
                matrix(new double[] {2.5, -0.5}, new double[] {-0.25, 2.5}), 1e-12);
        assertIdentical(perTask.params(), never.params());
    }

    @Test
    void rewindPutsBackTheInferenceStateTheBatchBeganFrom() {
        MultiLayerNetwork net = TinyPlasticLayer.twoByTwo(decay(Reset.PER_TASK));
        InferenceState tasks = new InferenceState();
        infer(net, tasks, 0);
        try (InferenceCheckpoint batch = tasks.open(net, 0)) {
            INDArray loss = net.output(X, false);
            batch.rewind();
            assertIdentical(net.output(X, false), loss);
            assertClose(loss, matrix(new double[] {2, 6.25}, new double[] {6.875, -4}), 1e-12);
        }
        assertIdentical(TinyPlasticLayer.param(net, PlasticDenseParameters.TRACE), matrix(new double[] {0, 0}, new double[] {0, 0}));
    }
}
