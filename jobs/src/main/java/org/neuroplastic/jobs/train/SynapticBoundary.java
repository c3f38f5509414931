package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.model.consolidation.GradientPenalty;
import org.neuroplastic.model.consolidation.SynapticIntelligence;

import java.util.function.Consumer;

/**
 * Synaptic Intelligence between the tasks of a stream (Zenke, Poole and Ganguli 2017; formulas in
 * {@link SynapticIntelligence}). Unlike EWC it measures importance during training, not after it: every
 * worker adds up its own path integral -g . dtheta over its steps of a round, with its own minibatch gradient
 * (without the penalty) and its own updates; the executors average the workers' path integrals with the rest
 * of their state, and the driver adds the averages up over the task's rounds ({@link #accept}). At the task's
 * end the driver turns the sum into importance with the task's total change of the averaged parameters, and
 * returns the penalty of every task so far.
 *
 * <p>The approximation: the path integral of the averaged trajectory would pair each averaged update with the
 * gradient of the whole data; the mean of the workers' path integrals pairs each worker's update with its own
 * minibatch's gradient, as single-JVM SI does with a minibatch of {@code batch_size_per_worker}. Where the
 * workers agree the two coincide; where they disagree the mean also counts each worker's progress that
 * averaging cancelled (the mean of g_w . dtheta_w exceeds mean(g) . mean(dtheta) by the workers' covariance).
 */
public final class SynapticBoundary implements TaskBoundary, Consumer<float[]> {

    private final ConsolidationSettings settings;
    private SynapticIntelligence remembered;

    SynapticBoundary(ConsolidationSettings settings) {
        this.settings = settings;
    }

    /** Before the first task: {@code network} is what it starts from. */
    public void start(MultiLayerNetwork network) {
        remembered = SynapticIntelligence.start(settings.c(), settings.xi(), network.params().toDoubleVector());
    }

    /** One round's path integral, averaged over the workers. */
    @Override
    public void accept(float[] roundPathIntegral) {
        requireStarted();
        remembered.addPathIntegral(roundPathIntegral);
    }

    @Override
    public GradientPenalty afterTask(int task, MultiLayerNetwork network, TaskSample sample) {
        requireStarted();
        return remembered.afterTask(network.params().toDoubleVector());
    }

    /** Tasks remembered so far. */
    public int tasks() {
        return remembered == null ? 0 : remembered.tasks();
    }

    /** The importance so far, one per parameter. */
    public double[] importance() {
        requireStarted();
        return remembered.importance();
    }

    private void requireStarted() {
        if (remembered == null) {
            throw new IllegalStateException("Synaptic Intelligence was not started: call start(network) before training");
        }
    }
}
