package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.model.diagnostics.RepresentationProbe;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the trajectory rows of one round of training, as docs/SCHEMA.md section "trajectories" defines
 * them: the one place where the resident master's round tasks, the stock master's epochs and parallel-mode
 * trials make rows. It ships inside the tasks that train, so worker rows are made where the network is.
 *
 * @param epoch the epoch being trained, 1-based (the network's epoch count before it + 1), as every table
 *              counts epochs: a trajectory row and the evaluation written after its epoch share the number
 */
public record StepRecorder(TrajectoryScope scope, int epoch, int round, LayerMetricsSource metrics,
                           int diagnosticsEvery) implements Serializable {

    /**
     * Worker rows: every layer of {@code network} right after the fit of {@code step}. At every
     * {@code diagnosticsEvery}-th step the hidden layers' rows also carry their representation diagnostics,
     * read with the step's own minibatch as the probe batch (an inference pass that changes nothing), so
     * no data moves for them.
     */
    public List<TrajectoryRecord> afterStep(MultiLayerNetwork network, long step, String worker, String executorId,
                                            double loss, long wallMs, DataSet minibatch) {
        List<LayerMetrics> layers = metrics.read(network);
        Map<Integer, RepresentationProbe.Reading> readings = new HashMap<>();
        if (diagnosticsEvery > 0 && step % diagnosticsEvery == 0) {
            for (RepresentationProbe.Reading reading : RepresentationProbe.read(network, minibatch.getFeatures())) {
                readings.put(reading.layer(), reading);
            }
        }
        List<TrajectoryRecord> rows = new ArrayList<>(layers.size());
        for (LayerMetrics layer : layers) {
            TrajectoryRecord row = TrajectoryRecord.of(scope, epoch, round, step, worker, executorId, layer, loss, null,
                    null, wallMs);
            RepresentationProbe.Reading reading = readings.get(layer.layer());
            rows.add(reading == null ? row : row.withDiagnostics(reading));
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
