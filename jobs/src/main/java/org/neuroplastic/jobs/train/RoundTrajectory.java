package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.trajectory.StepRecorder;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.util.List;

/** The {@code avg} rows of one averaging round, as docs/SCHEMA.md section "trajectories" defines them. */
final class RoundTrajectory {

    /** Executor id recorded in {@code avg} rows, which are computed on the driver. */
    static final String DRIVER = "driver";

    private RoundTrajectory() {
    }

    /**
     * One {@code avg} row per layer of {@code averaged}, read after the round listeners ran, with the
     * average's drift and the workers' divergence.
     *
     * @param loss the rows' loss, or null when unknown
     */
    static List<TrajectoryRecord> averaged(StepRecorder recorder, RoundResult result, MultiLayerNetwork averaged,
                                           Double loss) {
        return recorder.averaged(averaged, result.lastStep(), DRIVER, loss, result.averageDrift(),
                result.workerDivergence(), result.wallNanos() / 1_000_000);
    }
}
