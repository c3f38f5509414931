package org.neuroplastic.jobs.data;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.AugmentationSettings;
import org.neuroplastic.model.network.StepSeed;

import java.util.SplittableRandom;

/** Applies {@link AugmentationSettings} to one training minibatch. */
public final class ImageAugmentation {

    private ImageAugmentation() {
    }

    /**
     * The minibatch {@code worker} fits at global step {@code step}: {@code batch} itself when augmentation is
     * off, otherwise a copy changed as drawn from the {@link StepSeed} of the network's seed, step and worker.
     */
    public static DataSet atStep(AugmentationSettings settings, DataSet batch, MultiLayerNetwork network, long step,
                                 int worker) {
        if (!settings.enabled()) {
            return batch;
        }
        long seed = StepSeed.of(network.getDefaultConfiguration().getSeed(), step, worker);
        return apply(settings, batch, new SplittableRandom(seed));
    }

    /**
     * A copy of {@code batch} whose every image is mirrored and shifted as drawn from {@code random}, in
     * example order (flip, then the shift across, then down); labels and masks are the batch's own.
     */
    public static DataSet apply(AugmentationSettings settings, DataSet batch, SplittableRandom random) {
        INDArray features = batch.getFeatures();
        int examples = (int) features.size(0);
        int pixels = (int) features.size(1);
        int width = settings.imageWidth();
        int height = pixels / width;
        int shift = settings.maxShift();
        float[] in = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int e = 0; e < examples; e++) {
            boolean flip = settings.horizontalFlip() && random.nextBoolean();
            int across = shift == 0 ? 0 : random.nextInt(-shift, shift + 1);
            int down = shift == 0 ? 0 : random.nextInt(-shift, shift + 1);
            int base = e * pixels;
            for (int y = 0; y < height; y++) {
                int fromY = y - down;
                if (fromY < 0 || fromY >= height) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int fromX = x - across;
                    if (fromX >= 0 && fromX < width) {
                        out[base + y * width + x] = in[base + fromY * width + (flip ? width - 1 - fromX : fromX)];
                    }
                }
            }
        }
        INDArray augmented = Nd4j.create(out, new long[] {examples, pixels}, 'c').castTo(features.dataType());
        return new DataSet(augmented, batch.getLabels(), batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
    }
}
