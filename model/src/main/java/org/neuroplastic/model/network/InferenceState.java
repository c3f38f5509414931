package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state that inference batches of one task moved in the layers whose {@code at_inference} reset is
 * {@code per_task}, kept apart from the state training moves in the same arrays: taken from the training
 * state at the task's first inference batch, carried from one of its inference batches to the next, and
 * dropped when the task changes. Training never sees it: each batch puts it into the layer and, when over,
 * takes it out again and puts the training state back (see {@link InferenceCheckpoint}).
 *
 * <p>Held by whoever runs inference on a network that also trains (an online stream's worker), one per
 * network; never averaged and never checkpointed.
 */
public final class InferenceState {

    private boolean started;
    private int task;
    /** By layer index: copies of the layer's state arrays, in its parameter table's order. */
    private final Map<Integer, List<INDArray>> kept = new HashMap<>();

    /**
     * Opens an inference batch of task {@code task} on {@code network}: the {@code per_task} layers read
     * this task's inference state, the others behave as {@link InferenceCheckpoint#of} makes them.
     */
    public InferenceCheckpoint open(MultiLayerNetwork network, int task) {
        if (!started || task != this.task) {
            kept.clear();
            this.task = task;
            started = true;
        }
        return InferenceCheckpoint.of(network, this);
    }

    /** Layer {@code layer}'s inference state; a copy of {@code training} at the task's first batch. */
    List<INDArray> of(int layer, List<INDArray> training) {
        return kept.computeIfAbsent(layer, l -> {
            List<INDArray> copy = new ArrayList<>(training.size());
            training.forEach(array -> copy.add(array.dup()));
            return copy;
        });
    }
}
