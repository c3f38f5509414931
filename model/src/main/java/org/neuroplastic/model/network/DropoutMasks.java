package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes dropout reproducible. DL4J draws dropout masks from ND4J's thread-local random generator, whose
 * state depends on whatever that thread drew before: a retried Spark task, a resumed run or a second run
 * of the same configuration would drop other units. Seeding the generator from the network's seed, the
 * step and the worker before each minibatch makes the masks a function of those three alone.
 */
public final class DropoutMasks {

    private DropoutMasks() {
    }

    /** Seeds this thread's generator for {@code worker}'s training pass at global step {@code step}. */
    public static void seedFor(MultiLayerNetwork network, long step, int worker) {
        long z = network.getDefaultConfiguration().getSeed() + 0x9E3779B97F4A7C15L * (step + 1) + 0xD1B54A32D192ED03L * (worker + 1L);
        // SplitMix64's finaliser: neighbouring steps and workers get unrelated seeds.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        Nd4j.getRandom().setSeed(z ^ (z >>> 31));
    }
}
