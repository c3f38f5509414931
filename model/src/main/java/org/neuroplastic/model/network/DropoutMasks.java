package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes dropout reproducible. DL4J draws dropout masks from ND4J's thread-local random generator, whose
 * state depends on whatever that thread drew before: a retried Spark task, a resumed run or a second run
 * of the same configuration would drop other units. Seeding the generator with the {@link StepSeed} before
 * each minibatch makes the masks a function of the network's seed, the step and the worker alone.
 */
public final class DropoutMasks {

    private DropoutMasks() {
    }

    /** Seeds this thread's generator for {@code worker}'s training pass at global step {@code step}. */
    public static void seedFor(MultiLayerNetwork network, long step, int worker) {
        Nd4j.getRandom().setSeed(StepSeed.of(network.getDefaultConfiguration().getSeed(), step, worker));
    }
}
