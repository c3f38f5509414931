package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.layer.PlasticDenseParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plastic state of a network's layers whose state moves at inference ({@code at_inference.enabled}),
 * copied before an inference batch, so that the batch's passes can be undone: all of them
 * ({@link #rewind}), or, when the batch ends ({@link #close}), those of the layers whose reset is
 * {@code per_batch}. Layers with the setting off are not copied: their inference passes change nothing.
 *
 * <p>A layer whose reset is {@code per_task} runs the batch on its task's {@link InferenceState} when the
 * batch is opened by {@link InferenceState#open}: the training state is copied, the inference state put in
 * its place, and when the batch ends the moved state is kept as the inference state and the training state
 * put back, so training continues exactly as if no inference had run. Opened by {@link #of(MultiLayerNetwork)},
 * with no inference state, such a layer keeps what the batch changed, as under {@code never}: this is for
 * inference on a network that does not train afterwards (a held-out evaluation's copy, or one the caller
 * rewinds), where a task's batches carrying the state from one to the next is what {@code per_task} means.
 *
 * <p>Use one checkpoint per inference batch, opened before its first pass:
 * <pre>
 * try (InferenceCheckpoint batch = InferenceCheckpoint.of(network)) {
 *     ... network.output(x, false) ...
 * }
 * </pre>
 */
public final class InferenceCheckpoint implements AutoCloseable {

    /**
     * One layer's state arrays that inference moves (views into the network's parameters) and their copies.
     *
     * @param saved    the state when the batch was opened (the training state)
     * @param apart    the task's inference state the batch runs on ({@code per_task} with an
     *                 {@link InferenceState}); null otherwise
     * @param perBatch whether the batch's change is put back when it ends
     */
    private record Copy(List<INDArray> live, List<INDArray> saved, List<INDArray> apart, boolean perBatch) {

        /** Puts back the state the batch started from. */
        void rewind() {
            assign(live, apart == null ? saved : apart);
        }

        void close() {
            if (apart != null) {
                assign(apart, live);
                assign(live, saved);
            } else if (perBatch) {
                assign(live, saved);
            }
        }

        private static void assign(List<INDArray> to, List<INDArray> from) {
            for (int i = 0; i < to.size(); i++) {
                to.get(i).assign(from.get(i));
            }
        }
    }

    private final List<Copy> copies;

    private InferenceCheckpoint(List<Copy> copies) {
        this.copies = copies;
    }

    /**
     * A copy of the state of every layer of {@code network} whose state moves at inference; a layer whose
     * reset is {@code per_task} keeps what the batch changed (see the class comment).
     */
    public static InferenceCheckpoint of(MultiLayerNetwork network) {
        return of(network, null);
    }

    /** As {@link #of(MultiLayerNetwork)}, with the {@code per_task} layers on {@code tasks}' state (null: none). */
    static InferenceCheckpoint of(MultiLayerNetwork network, InferenceState tasks) {
        List<Copy> copies = new ArrayList<>();
        for (PlasticDenseLayer layer : PlasticNetwork.plasticLayers(network)) {
            if (!layer.plasticity().atInference().enabled()) {
                continue;
            }
            List<INDArray> live = new ArrayList<>();
            List<INDArray> saved = new ArrayList<>();
            List<INDArray> apart = null;
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                    if (PlasticDenseParameters.movesAtInference(e.getKey())) {
                        live.add(e.getValue());
                        saved.add(e.getValue().dup());
                    }
                }
                if (tasks != null && layer.plasticity().atInference().keepsPerTask()) {
                    apart = tasks.of(layer.getIndex(), live);
                }
            }
            Copy copy = new Copy(live, saved, apart, layer.plasticity().atInference().resetsPerBatch());
            if (apart != null) {
                copy.rewind();
            }
            copies.add(copy);
        }
        return new InferenceCheckpoint(copies);
    }

    /**
     * Puts every copied layer's state back as it was when the batch began, whatever its reset policy: for a
     * second pass over the same batch that must see what the first one saw (a loss after a prediction), or
     * for a probe that must leave no trace.
     */
    public void rewind() {
        copies.forEach(Copy::rewind);
    }

    /**
     * Ends the inference batch: puts back the state of the layers whose reset is {@code per_batch}, and
     * swaps the training state back in for those running on a task's {@link InferenceState}.
     */
    @Override
    public void close() {
        copies.forEach(Copy::close);
    }
}
