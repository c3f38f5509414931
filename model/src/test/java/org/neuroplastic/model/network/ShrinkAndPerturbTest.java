package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShrinkAndPerturbTest {

    /** 2 inputs, one hidden unit, one output: W1 (2), b1 (1), W2 (1), b2 (1), 5 parameters in flat order. */
    private static MultiLayerNetwork tiny(long seed) {
        MultiLayerNetwork network = NetworkFactory.build(new NetworkSpec(2,
                List.of(new LayerSpec(1, "relu", PlasticitySettings.off())), OutputSpec.regression(),
                UpdaterSpec.adam(0.01), seed, NetworkSpec.Variant.DENSE));
        network.setParams(Nd4j.create(new float[] {1, 2, 3, 4, 5}, new long[] {1, 5}));
        return network;
    }

    @Test
    void shrinkMultipliesEveryWeightAndBias() {
        MultiLayerNetwork network = tiny(42);
        new ShrinkAndPerturb(0.5, 0, 1).afterStep(network, 1);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f}, network.params().toFloatVector(), 0);
    }

    @Test
    void noiseIsTheStepSeedsGaussianDrawsInLayerOrder() {
        MultiLayerNetwork network = tiny(42);
        new ShrinkAndPerturb(0.5, 0.1, 1).afterStep(network, 7);
        // Layer 0's W (2 values) then b, layer 1's W then b: five draws of one generator seeded by step 7, worker 0.
        SplittableRandom draws = new SplittableRandom(StepSeed.of(42, 7, 0));
        float[] expected = new float[5];
        float[] before = {1, 2, 3, 4, 5};
        for (int i = 0; i < 5; i++) {
            expected[i] = 0.5f * before[i] + (float) (0.1 * draws.nextGaussian());
        }
        assertArrayEquals(expected, network.params().toFloatVector(), 1e-6f);
    }

    @Test
    void everyWorkerAndRerunDrawsTheSameNoise() {
        MultiLayerNetwork first = tiny(42);
        MultiLayerNetwork second = tiny(42);
        ShrinkAndPerturb perturb = new ShrinkAndPerturb(1, 0.01, 1);
        perturb.afterStep(first, 3);
        perturb.afterStep(second, 3);
        assertArrayEquals(first.params().toFloatVector(), second.params().toFloatVector(), 0);
        MultiLayerNetwork later = tiny(42);
        perturb.afterStep(later, 4);
        assertFalse(java.util.Arrays.equals(first.params().toFloatVector(), later.params().toFloatVector()));
    }

    @Test
    void stepsBetweenApplicationsAreLeftAlone() {
        MultiLayerNetwork network = tiny(42);
        ShrinkAndPerturb everyThird = new ShrinkAndPerturb(0.5, 0, 3);
        everyThird.afterStep(network, 1);
        everyThird.afterStep(network, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, network.params().toFloatVector(), 0);
        everyThird.afterStep(network, 3);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f}, network.params().toFloatVector(), 0);
    }

    @Test
    void offChangesNothing() {
        MultiLayerNetwork network = tiny(42);
        assertFalse(ShrinkAndPerturb.OFF.enabled());
        ShrinkAndPerturb.OFF.afterStep(network, 1);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, network.params().toFloatVector(), 0);
        assertTrue(new ShrinkAndPerturb(1, 1e-5, 1).enabled());
    }

    @Test
    void invalidSettingsNameTheKeyAndTheRange() {
        assertEquals("training.shrink_and_perturb.shrink must be in (0, 1], found 0.0",
                assertThrows(IllegalArgumentException.class, () -> new ShrinkAndPerturb(0, 0, 1)).getMessage());
        assertEquals("training.shrink_and_perturb.shrink must be in (0, 1], found 1.5",
                assertThrows(IllegalArgumentException.class, () -> new ShrinkAndPerturb(1.5, 0, 1)).getMessage());
        assertEquals("training.shrink_and_perturb.noise must be a finite number >= 0, found -1.0",
                assertThrows(IllegalArgumentException.class, () -> new ShrinkAndPerturb(1, -1, 1)).getMessage());
        assertEquals("training.shrink_and_perturb.every must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> new ShrinkAndPerturb(1, 0, 0)).getMessage());
    }
}
