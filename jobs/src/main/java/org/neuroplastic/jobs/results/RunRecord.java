package org.neuroplastic.jobs.results;

import java.time.Instant;
import java.util.Map;

/** One row of {@code <out>/runs/} (docs/SCHEMA.md, section "runs"): a run's provenance and outcome. */
public record RunRecord(String runId, String trialId, RunStatus status, Instant startedAt, Instant endedAt,
                        String configuration, long seed, String averaging, String sparkMaster,
                        Map<String, String> versions, int epochsCompleted, Double examplesUsedFraction,
                        Double roundOverheadMs, Double finalTrainLoss, Double finalTestLoss,
                        Double finalTestAccuracy, String error) {

}
