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
 * <p>Use one checkpoint per inference batch, opened before its first pass:
 * <pre>
 * try (InferenceCheckpoint batch = InferenceCheckpoint.of(network)) {
 *     ... network.output(x, false) ...
 * }
 * </pre>
 */
public final class InferenceCheckpoint implements AutoCloseable {

    /** One layer's state arrays (views into the network's parameters) and their copies. */
    private record Copy(List<INDArray> live, List<INDArray> saved, boolean perBatch) {

        void restore() {
            for (int i = 0; i < live.size(); i++) {
                live.get(i).assign(saved.get(i));
            }
        }
    }

    private final List<Copy> copies;

    private InferenceCheckpoint(List<Copy> copies) {
        this.copies = copies;
    }

    /** A copy of the state of every layer of {@code network} whose state moves at inference. */
    public static InferenceCheckpoint of(MultiLayerNetwork network) {
        List<Copy> copies = new ArrayList<>();
        for (PlasticDenseLayer layer : PlasticNetwork.plasticLayers(network)) {
            if (!layer.plasticity().atInference().enabled()) {
                continue;
            }
            List<INDArray> live = new ArrayList<>();
            List<INDArray> saved = new ArrayList<>();
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                    if (PlasticDenseParameters.isState(e.getKey())) {
                        live.add(e.getValue());
                        saved.add(e.getValue().dup());
                    }
                }
            }
            copies.add(new Copy(live, saved, layer.plasticity().atInference().resetsPerBatch()));
        }
        return new InferenceCheckpoint(copies);
    }

    /**
     * Puts every copied layer's state back as it was when the checkpoint was taken, whatever its reset
     * policy: for a second pass over the same batch that must see what the first one saw (a loss after a
     * prediction), or for a probe that must leave no trace.
     */
    public void rewind() {
        copies.forEach(Copy::restore);
    }

    /** Ends the inference batch: puts back the state of the layers whose reset is {@code per_batch}. */
    @Override
    public void close() {
        for (Copy copy : copies) {
            if (copy.perBatch()) {
                copy.restore();
            }
        }
    }
}
