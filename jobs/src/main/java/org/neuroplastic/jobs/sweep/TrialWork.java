package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.config.AugmentationSettings;
import org.neuroplastic.model.network.ShrinkAndPerturb;

import java.io.Serializable;

/**
 * What one Spark task needs to train one trial from {@code fromEpoch} to {@code toEpoch} (0-based
 * epoch counts) in parallel mode: plain values only, so it travels by Java serialization.
 *
 * @param configuration the network's DL4J configuration as JSON (layers rewire themselves)
 * @param firstStep     minibatches the trial has already fitted
 * @param shuffleSeed   seeds the order of the training examples in each epoch
 * @param diagnosticsEvery every how many steps rows carry representation diagnostics; 0: never
 * @param augmentation  what changes the trial makes to its training images
 * @param shrinkAndPerturb what the trial does to its weights and biases after each update
 * @param evaluationBatchSize the minibatch its test and validation splits are evaluated in
 * @param state         the network (parameters, plastic state, updater) saved at {@code fromEpoch}; null
 *                      when starting
 * @param keepState     whether to return the network's state at {@code toEpoch} (a later rung follows)
 */
record TrialWork(String trialId, String runId, String configuration, int batchSize, int fromEpoch,
                 int toEpoch, long firstStep, long shuffleSeed, boolean trajectories, int diagnosticsEvery,
                 AugmentationSettings augmentation, ShrinkAndPerturb shrinkAndPerturb, int evaluationBatchSize,
                 byte[] state, boolean keepState)
        implements Serializable {
}
