package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.model.consolidation.ElasticWeightConsolidation;
import org.neuroplastic.model.consolidation.GradientPenalty;

import java.util.List;

/**
 * Elastic Weight Consolidation between the tasks of a stream (Kirkpatrick et al. 2017): after task t the
 * driver estimates the diagonal Fisher information of the averaged network on the task's first
 * {@code training.consolidation.fisher_examples} training examples, remembers it with the parameters as
 * task t's anchor, and returns the penalty of every task so far, which the workers add to their loss
 * throughout task t+1 (see {@link ElasticWeightConsolidation} for the formula and the choice of one
 * penalty per task over the online variant).
 */
public final class ConsolidationBoundary implements TaskBoundary {

    private final ConsolidationSettings settings;
    private final long seed;
    private ElasticWeightConsolidation remembered;

    private ConsolidationBoundary(ConsolidationSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /**
     * What the train job does between tasks for {@code training.consolidation}: nothing for {@code none}
     * (naive fine-tuning), EWC for {@code ewc}, Synaptic Intelligence ({@link SynapticBoundary}) for {@code si}.
     *
     * @param seed the run's seed; task t's Fisher sample is drawn with a seed derived from it and t
     */
    public static TaskBoundary of(ConsolidationSettings settings, long seed) {
        return switch (settings.method()) {
            case NONE -> TaskBoundary.NONE;
            case EWC -> new ConsolidationBoundary(settings, seed);
            case SI -> new SynapticBoundary(settings);
        };
    }

    @Override
    public GradientPenalty afterTask(int task, MultiLayerNetwork network, TaskSample sample) {
        List<DataSet> examples = sample.minibatches(settings.fisherExamples());
        if (remembered == null) {
            remembered = ElasticWeightConsolidation.start(settings.lambda(), Math.toIntExact(network.numParams()));
        }
        remembered = remembered.afterTask(network, examples, settings.fisherExamples(), seed * 31 + task);
        return remembered.trainingPenalty();
    }

    /** Tasks remembered so far. */
    public int tasks() {
        return remembered == null ? 0 : remembered.tasks();
    }
}
