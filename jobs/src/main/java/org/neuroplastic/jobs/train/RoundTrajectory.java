package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.trajectory.LayerMetrics;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;

import java.util.ArrayList;
import java.util.List;

/** The trajectory rows of one averaging round, as docs/SCHEMA.md section "trajectories" defines them. */
final class RoundTrajectory {

    /** Executor id recorded in {@code avg} rows, which are computed on the driver. */
    static final String DRIVER = "driver";

    private RoundTrajectory() {
    }

    /**
     * The trained workers' rows (each worker's last step gets its divergence from the average) and one
     * {@code avg} row per layer of {@code averaged}, read after the round listeners ran.
     *
     * @param loss the {@code avg} rows' loss, or null when unknown
     */
    static List<TrajectoryRecord> rows(TrajectoryScope scope, RoundResult result, MultiLayerNetwork averaged,
                                       LayerMetricsSource metrics, Double loss) {
        List<WorkerRound> trained = result.trainedWorkers();
        List<TrajectoryRecord> rows = new ArrayList<>();
        for (WorkerRound worker : trained) {
            long lastStep = result.firstStep() + worker.minibatches() - 1;
            double[] divergence = result.divergence().get(worker.partition());
            for (TrajectoryRecord row : worker.records()) {
                rows.add(row.step() == lastStep ? row.withWorkerDivergence(divergence[row.layer()]) : row);
            }
        }
        long wallMs = result.wallNanos() / 1_000_000;
        for (LayerMetrics layer : metrics.read(averaged)) {
            Double divergence = null;
            if (!trained.isEmpty()) {
                double sum = 0;
                for (WorkerRound worker : trained) {
                    sum += result.divergence().get(worker.partition())[layer.layer()];
                }
                divergence = sum / trained.size();
            }
            rows.add(TrajectoryRecord.of(scope, result.epoch(), result.round(), result.lastStep(),
                    TrajectoryRecord.AVERAGED, DRIVER, layer, loss, divergence, wallMs));
        }
        return rows;
    }
}
