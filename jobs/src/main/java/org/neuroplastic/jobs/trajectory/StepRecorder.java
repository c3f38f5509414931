package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the trajectory rows of one round of training, as docs/SCHEMA.md section "trajectories" defines
 * them: the one place where the resident master's round tasks, the stock master's epochs and parallel-mode
 * trials make rows. It ships inside the tasks that train, so worker rows are made where the network is.
 */
public record StepRecorder(TrajectoryScope scope, int epoch, int round, LayerMetricsSource metrics)
        implements Serializable {

    /** Worker rows: every layer of {@code network} right after the fit of {@code step}. */
    public List<TrajectoryRecord> afterStep(MultiLayerNetwork network, long step, String worker, String executorId,
                                            double loss, long wallMs) {
        List<LayerMetrics> layers = metrics.read(network);
        List<TrajectoryRecord> rows = new ArrayList<>(layers.size());
        for (LayerMetrics layer : layers) {
            rows.add(TrajectoryRecord.of(scope, epoch, round, step, worker, executorId, layer, loss, null, null, wallMs));
        }
        return rows;
    }

    /**
     * {@code avg} rows: every layer of the network the workers' states were combined into.
     *
     * @param drift      per layer index, the distance the combined network moved in the round; null: unknown
     * @param divergence per layer index, the workers' distance from the combined network; null: unknown
     */
    public List<TrajectoryRecord> averaged(MultiLayerNetwork network, long step, String executorId, Double loss,
                                           double[] drift, double[] divergence, long wallMs) {
        List<LayerMetrics> layers = metrics.read(network);
        List<TrajectoryRecord> rows = new ArrayList<>(layers.size());
        for (LayerMetrics layer : layers) {
            rows.add(TrajectoryRecord.of(scope, epoch, round, step, TrajectoryRecord.AVERAGED, executorId, layer,
                    loss, drift == null ? null : drift[layer.layer()],
                    divergence == null ? null : divergence[layer.layer()], wallMs));
        }
        return rows;
    }
}
