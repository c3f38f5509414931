package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the worker rows of one averaging round on the executor, one row per layer after every
 * minibatch. It ships inside the round's task, so the rows of a whole task travel back in one piece
 * with the task's result instead of one message per step.
 */
public record StepRecorder(TrajectoryScope scope, int epoch, int round, LayerMetricsSource metrics)
        implements Serializable {

    /** Rows for every layer of {@code network} right after the fit of {@code step}. */
    public List<TrajectoryRecord> afterStep(MultiLayerNetwork network, long step, String worker, String executorId,
                                            double loss, long wallMs) {
        List<LayerMetrics> layers = metrics.read(network);
        List<TrajectoryRecord> rows = new ArrayList<>(layers.size());
        for (LayerMetrics layer : layers) {
            rows.add(TrajectoryRecord.of(scope, epoch, round, step, worker, executorId, layer, loss, null, wallMs));
        }
        return rows;
    }
}
