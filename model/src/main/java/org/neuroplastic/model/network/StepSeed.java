package org.neuroplastic.model.network;

/**
 * The seed of what a training step draws at random on one worker (dropout masks, augmentation), a
 * function of the run's seed, the step and the worker alone: a rerun, a retried Spark task or a resumed
 * run draws the same, and neighbouring steps and workers draw unrelated values.
 */
public final class StepSeed {

    private StepSeed() {
    }

    public static long of(long seed, long step, int worker) {
        long z = seed + 0x9E3779B97F4A7C15L * (step + 1) + 0xD1B54A32D192ED03L * (worker + 1L);
        // SplitMix64's finaliser (Steele, Lea and Flood 2014).
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
