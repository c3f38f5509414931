package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.model.consolidation.GradientPenalty;

/**
 * Called on the driver between the tasks of a continual-learning stream: the place for a consolidation
 * method (EWC, synaptic intelligence) to measure what the network learned on the task just trained and
 * to decide what the workers add to their loss during the next one.
 *
 * <p>Order of events for task t of T: the task's epochs are trained (every worker applying the penalty
 * returned after task t-1, if any); after each epoch every task is evaluated and the rows written; then,
 * when t < T-1, {@link #afterTask} is called once; then task t+1 starts. It is not called after the last
 * task, nor in a run without a stream.
 *
 * <p>Measuring gradients on the driver: {@code computeGradientAndScore} runs a training-mode forward
 * pass, which also updates plastic layers' state (Hebbian traces, activity averages); run it on
 * {@code network.clone()} to leave the trained network as it is. The flat gradient it leaves in
 * {@code getFlattenedGradients()} is the minibatch's sum over examples (DL4J's updater divides by the
 * minibatch size later), and is zero at the plastic layers' state entries.
 */
@FunctionalInterface
public interface TaskBoundary {

    /** No consolidation: naive fine-tuning, every task trained with the plain loss. */
    TaskBoundary NONE = (task, network, sample) -> null;

    /**
     * @param task    the task just trained (0-based)
     * @param network the driver's network as trained on {@code task}: parameters, updater state and
     *                counters, exactly what the next task's first round broadcasts. Treat it as read-only
     *                unless a change is meant to be what task+1 starts from; copy what must outlive the
     *                call ({@code params().dup()}), since training goes on in place
     * @param sample  the training data of {@code task}, e.g. to estimate a Fisher information
     * @return the penalty every worker adds to its loss throughout task+1 (it replaces the previous
     *         one, so a penalty that must keep earlier tasks must carry them), or null for none
     */
    GradientPenalty afterTask(int task, MultiLayerNetwork network, TaskSample sample);
}
