package org.neuroplastic.jobs.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.model.consolidation.ConsolidationPenalty;
import org.neuroplastic.model.consolidation.ElasticWeightConsolidation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The driver's side of consolidation between the tasks of a sequence: after a task, it estimates the
 * task's parameter importance with the (averaged) network on a random sample of the task's training
 * minibatches, and gives the penalty that every worker trains with from the next task on.
 */
public final class TaskConsolidation {

    private final ConsolidationSettings settings;
    private final int batchSize;
    private final long seed;
    private ElasticWeightConsolidation remembered;

    /**
     * @param batchSize examples per training minibatch, to know how many minibatches to sample
     * @param seed      the run's seed; task t's sample is drawn with a seed derived from it and t
     */
    public TaskConsolidation(ConsolidationSettings settings, int batchSize, long seed) {
        this.settings = settings;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Remembers task {@code task}, just trained into {@code network} on {@code taskTraining} (minibatches);
     * returns the penalty for the following tasks, or null with method {@code none}.
     */
    public ConsolidationPenalty afterTask(MultiLayerNetwork network, JavaRDD<DataSet> taskTraining, int task) {
        if (!settings.enabled()) {
            return null;
        }
        long taskSeed = seed * 31 + task;
        int minibatches = (settings.fisherExamples() + batchSize - 1) / batchSize;
        List<DataSet> sample = taskTraining.takeSample(false, minibatches, taskSeed);
        if (remembered == null) {
            remembered = ElasticWeightConsolidation.start(settings.lambda(), Math.toIntExact(network.numParams()));
        }
        remembered = remembered.afterTask(network, sample, settings.fisherExamples(), taskSeed);
        return remembered.trainingPenalty();
    }

    /** Tasks remembered so far. */
    public int tasks() {
        return remembered == null ? 0 : remembered.tasks();
    }
}
