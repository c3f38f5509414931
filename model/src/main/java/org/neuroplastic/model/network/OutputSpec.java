package org.neuroplastic.model.network;

import java.util.Locale;

/**
 * The output layer: a plain DL4J output layer in both the plastic network and the dense baseline.
 *
 * @param size       outputs: 1 for scalar regression, the number of classes for classification
 * @param activation {@code identity} for regression, {@code softmax} for classification
 * @param loss       the loss the network minimises
 * @param heads      1: one softmax over all classes (a shared head); more: the classes cut into that many
 *                   heads of consecutive classes, each example's softmax and loss restricted to the head of
 *                   its label ({@link TaskHeadCrossEntropy}; the task-incremental scenario's multi-head output)
 */
public record OutputSpec(int size, String activation, Loss loss, int heads) {

    /** One shared head. */
    public OutputSpec(int size, String activation, Loss loss) {
        this(size, activation, loss, 1);
    }

    /** Losses, named as configurations spell them. */
    public enum Loss {
        /** Mean squared error, for regression. */
        MSE,
        /** Multi-class cross-entropy over a softmax, for classification. */
        CROSS_ENTROPY;
    }

    public OutputSpec {
        if (size < 1) {
            throw new IllegalArgumentException("output.size must be >= 1, found " + size);
        }
        activation = Activations.canonical("output.activation", activation);
        if (loss == null) {
            throw new IllegalArgumentException("output.loss must be one of mse, cross_entropy, found null");
        }
        if (loss == Loss.CROSS_ENTROPY && !activation.equals("softmax")) {
            throw new IllegalArgumentException("output.activation must be softmax with loss cross_entropy, found " + activation);
        }
        if (loss == Loss.CROSS_ENTROPY && size < 2) {
            throw new IllegalArgumentException("output.size must be >= 2 (the number of classes) with loss cross_entropy, found " + size);
        }
        if (heads < 1) {
            throw new IllegalArgumentException("output.heads must be >= 1, found " + heads);
        }
        if (heads > 1 && (loss != Loss.CROSS_ENTROPY || size % heads != 0 || size / heads < 2)) {
            throw new IllegalArgumentException("output.heads " + heads + " needs loss cross_entropy and at least 2 "
                    + "classes per head dividing the " + size + " outputs");
        }
    }

    /** The same output cut into {@code count} heads. */
    public OutputSpec withHeads(int count) {
        return new OutputSpec(size, activation, loss, count);
    }

    public static OutputSpec regression() {
        return new OutputSpec(1, "identity", Loss.MSE);
    }

    public static OutputSpec classification(int classes) {
        return new OutputSpec(classes, "softmax", Loss.CROSS_ENTROPY);
    }

    public boolean isClassification() {
        return loss == Loss.CROSS_ENTROPY;
    }
}
