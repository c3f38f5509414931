package org.neuroplastic.jobs.config;

import java.io.Serializable;

/**
 * {@code training.augmentation}: label-preserving changes to the training images, drawn afresh for every
 * minibatch from the network's seed, the step and the worker (so a rerun, a retried round or a resumed run
 * draws the same ones); held-out data is never changed. Random shifts and mirror images are the classic
 * augmentations of (Fashion-)MNIST (Simard et al. 2003; Krizhevsky et al. 2012 for the mirror).
 *
 * @param imageWidth     pixels per image row: the features are the image's rows one after another, as IDX
 *                       files and flattened images store them; 0 when augmentation is off
 * @param horizontalFlip mirror each image left to right with probability 1/2
 * @param maxShift       move each image by whole pixels drawn uniformly from [-maxShift, maxShift], across and
 *                       down independently, filling the uncovered border with 0; 0 is off
 */
public record AugmentationSettings(int imageWidth, boolean horizontalFlip, int maxShift) implements Serializable {

    public static final AugmentationSettings NONE = new AugmentationSettings(0, false, 0);

    public AugmentationSettings {
        if (maxShift < 0) {
            throw new IllegalArgumentException("training.augmentation.max_shift must be >= 0, found " + maxShift);
        }
        if (imageWidth < 0) {
            throw new IllegalArgumentException("training.augmentation.image_width must be >= 1, found " + imageWidth);
        }
        if ((horizontalFlip || maxShift > 0) && imageWidth == 0) {
            throw new IllegalArgumentException("training.augmentation.image_width must be given (pixels per image row) "
                    + "when horizontal_flip or max_shift is on");
        }
        if (imageWidth > 0 && maxShift >= imageWidth) {
            throw new IllegalArgumentException("training.augmentation.max_shift must be less than image_width "
                    + imageWidth + ", found " + maxShift);
        }
    }

    public boolean enabled() {
        return horizontalFlip || maxShift > 0;
    }

    /** Fails unless {@code features} are whole image rows of {@code imageWidth} pixels, at least as many as the shift. */
    public void requireImagesOf(int features, String source) {
        if (enabled() && (features % imageWidth != 0 || features / imageWidth <= maxShift)) {
            throw new InvalidInputException(source + ": " + features + " features are not images of whole rows of "
                    + "training.augmentation.image_width " + imageWidth + " pixels"
                    + (features % imageWidth == 0 ? " taller than max_shift " + maxShift : ""));
        }
    }

    static AugmentationSettings read(ConfigSection augmentation) {
        int imageWidth = augmentation.integer("image_width", 0);
        boolean horizontalFlip = augmentation.flag("horizontal_flip", false);
        int maxShift = augmentation.integer("max_shift", 0);
        augmentation.rejectUnknownKeys();
        return new AugmentationSettings(imageWidth, horizontalFlip, maxShift);
    }
}
