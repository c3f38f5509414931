package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Shrink and Perturb (Ash and Adams, "On Warm-Starting Neural Network Training", NeurIPS 2020), as Dohare
 * et al. ("Loss of plasticity in deep continual learning", Nature 2024) run it as a baseline: every
 * {@code every} training steps, after the update, each weight and bias of every layer becomes
 * {@code shrink * w + noise * e} with {@code e ~ N(0, 1)}. Dohare et al.'s permuted-MNIST runs shrink
 * through SGD's L2 term instead ({@code network.weight_decay}) and perturb every step; both forms are
 * reachable here. Plastic state, PlasticDense's alpha and g, and the updater state are left as they are.
 *
 * <p>The noise of step t is drawn from {@link StepSeed#of}(network seed, t, 0), the same on every worker:
 * averaging workers that each added it gives the average plus the full noise (independent draws would
 * average down to 1/sqrt(workers) of it), and a rerun, retried task or resumed run draws it again.
 *
 * @param shrink the factor each weight and bias is multiplied by, in (0, 1]; 1 is no shrinking
 * @param noise  the standard deviation of the Gaussian noise added, >= 0; 0 is no noise
 * @param every  training steps between two applications, >= 1 (applied after steps every, 2 every, ...)
 */
public record ShrinkAndPerturb(double shrink, double noise, int every) implements Serializable {

    /** Neither shrinking nor noise. */
    public static final ShrinkAndPerturb OFF = new ShrinkAndPerturb(1, 0, 1);

    private static final String WEIGHT = "W";
    private static final String BIAS = "b";

    public ShrinkAndPerturb {
        if (!(shrink > 0 && shrink <= 1)) {
            throw new IllegalArgumentException("training.shrink_and_perturb.shrink must be in (0, 1], found " + shrink);
        }
        if (!Double.isFinite(noise) || noise < 0) {
            throw new IllegalArgumentException("training.shrink_and_perturb.noise must be a finite number >= 0, found "
                    + noise);
        }
        if (every < 1) {
            throw new IllegalArgumentException("training.shrink_and_perturb.every must be >= 1, found " + every);
        }
    }

    public boolean enabled() {
        return shrink < 1 || noise > 0;
    }

    /**
     * Shrinks and perturbs the network after its training step {@code step} (1-based global step) when
     * {@code step} is a multiple of {@code every}; does nothing otherwise or when off.
     */
    public void afterStep(MultiLayerNetwork network, long step) {
        if (!enabled() || step % every != 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(StepSeed.of(network.getDefaultConfiguration().getSeed(), step, 0));
        for (Layer layer : network.getLayers()) {
            // Layers in index order, W before b: the draw order, hence the noise, is fixed by the architecture.
            perturb(layer.paramTable().get(WEIGHT), random);
            perturb(layer.paramTable().get(BIAS), random);
        }
    }

    private void perturb(INDArray parameter, SplittableRandom random) {
        if (parameter == null) {
            return;
        }
        if (shrink < 1) {
            parameter.muli(shrink);
        }
        if (noise > 0) {
            float[] draws = new float[Math.toIntExact(parameter.length())];
            for (int i = 0; i < draws.length; i++) {
                draws[i] = (float) (noise * random.nextGaussian());
            }
            parameter.addi(Nd4j.create(draws, parameter.shape(), parameter.ordering()).castTo(parameter.dataType()));
        }
    }
}
