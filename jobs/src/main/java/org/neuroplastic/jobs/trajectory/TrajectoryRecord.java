package org.neuroplastic.jobs.trajectory;

import org.neuroplastic.model.diagnostics.RepresentationProbe;

import java.io.Serializable;

/**
 * One row of {@code <out>/trajectories/}: what one layer of one worker's network (or of the averaged
 * network, {@code worker = "avg"}) looked like after one step. Columns and units are documented in
 * docs/SCHEMA.md, section "trajectories".
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
        int layer,
        Double loss,
        Double hebbianNorm,
        Double alphaMeanAbs,
        Double maskDensity,
        Long pruned,
        Long regrown,
        Long unitsReplaced,
        Double scalingMean,
        Double scalingMin,
        Double scalingMax,
        Double activityMean,
        Double activityStd,
        Double thresholdMean,
        double weightNorm,
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
                executorId, m.layer(), loss, m.hebbianNorm(), m.alphaMeanAbs(), m.maskDensity(), m.pruned(),
                m.regrown(), m.unitsReplaced(), m.scalingMean(), m.scalingMin(), m.scalingMax(), m.activityMean(),
                m.activityStd(), m.thresholdMean(), m.weightNorm(), null, null, null, drift, workerDivergence, wallMs);
    }

    public TrajectoryKey key() {
        return new TrajectoryKey(runId, task, epoch, round, step, worker, layer);
    }

    public TrajectoryRecord withDrift(double drift) {
        return new TrajectoryRecord(runId, trialId, task, epoch, round, step, worker, executorId, layer, loss,
                hebbianNorm, alphaMeanAbs, maskDensity, pruned, regrown, unitsReplaced, scalingMean, scalingMin,
                scalingMax, activityMean, activityStd, thresholdMean, weightNorm, deadFraction, effectiveRank,
                meanAbsWeight, drift, workerDivergence, wallMs);
    }

    /** This row with a layer's representation diagnostics (see {@link RepresentationProbe}). */
    public TrajectoryRecord withDiagnostics(RepresentationProbe.Reading reading) {
        return new TrajectoryRecord(runId, trialId, task, epoch, round, step, worker, executorId, layer, loss,
                hebbianNorm, alphaMeanAbs, maskDensity, pruned, regrown, unitsReplaced, scalingMean, scalingMin,
                scalingMax, activityMean, activityStd, thresholdMean, weightNorm, reading.deadUnitFraction(),
                reading.effectiveRank(), reading.meanAbsoluteWeight(), drift, workerDivergence, wallMs);
    }
}
