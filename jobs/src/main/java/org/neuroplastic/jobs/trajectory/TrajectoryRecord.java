package org.neuroplastic.jobs.trajectory;

import org.neuroplastic.model.diagnostics.RepresentationProbe;

import java.io.Serializable;

/**
 * One row of {@code <out>/trajectories/}: what one layer of one worker's network (or of the averaged
 * network, {@code worker = "avg"}) looked like after one step. Columns and units are documented in
 * docs/SCHEMA.md, section "trajectories"; the layer's index and its plasticity columns are {@code metrics}.
 */
public record TrajectoryRecord(
        String runId,
        String trialId,
        int task,
        int epoch,
        int round,
        long step,
        String worker,
        String executorId,
        Double loss,
        LayerMetrics metrics,
        Double deadFraction,
        Double effectiveRank,
        Double meanAbsWeight,
        Double drift,
        Double workerDivergence,
        long wallMs) implements Serializable {

    /** The value of {@code worker} for rows that describe the averaged network after a round. */
    public static final String AVERAGED = "avg";

    /** Builds a row from a layer's measurements; {@code drift} and {@code workerDivergence} may be null. */
    public static TrajectoryRecord of(TrajectoryScope scope, int epoch, int round, long step, String worker,
                                      String executorId, LayerMetrics m, Double loss, Double drift,
                                      Double workerDivergence, long wallMs) {
        return new TrajectoryRecord(scope.runId(), scope.trialId(), scope.task(), epoch, round, step, worker,
                executorId, loss, m, null, null, null, drift, workerDivergence, wallMs);
    }

    /** The layer the row describes, part of its {@link #key()}. */
    public int layer() {
        return metrics.layer();
    }

    public TrajectoryKey key() {
        return new TrajectoryKey(runId, task, epoch, round, step, worker, layer());
    }

    public TrajectoryRecord withDrift(double drift) {
        return new TrajectoryRecord(runId, trialId, task, epoch, round, step, worker, executorId, loss, metrics,
                deadFraction, effectiveRank, meanAbsWeight, drift, workerDivergence, wallMs);
    }

    /** This row with a layer's representation diagnostics (see {@link RepresentationProbe}). */
    public TrajectoryRecord withDiagnostics(RepresentationProbe.Reading reading) {
        return new TrajectoryRecord(runId, trialId, task, epoch, round, step, worker, executorId, loss, metrics,
                reading.deadUnitFraction(), reading.effectiveRank(), reading.meanAbsoluteWeight(), drift,
                workerDivergence, wallMs);
    }
}
