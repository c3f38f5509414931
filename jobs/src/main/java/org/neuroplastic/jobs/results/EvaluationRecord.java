package org.neuroplastic.jobs.results;

/**
 * One row of {@code <out>/evaluations/} (docs/SCHEMA.md, section "evaluations").
 *
 * @param epoch       the network's epoch count after the epoch just trained (1-based)
 * @param task        the task whose data was evaluated; 0 outside continual learning
 * @param trainedTask the task being trained when the row was evaluated; 0 outside continual learning
 * @param split       {@code test}, {@code train} or {@link #ONLINE}
 * @param accuracy    null for regression
 */
public record EvaluationRecord(String runId, String trialId, int epoch, int task, int trainedTask,
                               String split, long examples, double loss, Double accuracy) {

    /**
     * The split of an online stream's rows: the task's training examples, each predicted just before the
     * network learned from it.
     */
    public static final String ONLINE = "online";
}
