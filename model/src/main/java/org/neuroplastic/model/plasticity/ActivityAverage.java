package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each output neuron's activity average: an exponential moving average of the batch mean of |y|.
 * A non-negative measure, so that a positive homeostatic target is reachable whatever the activation's sign.
 */
public final class ActivityAverage {

    private ActivityAverage() {
    }

    /** {@code a <- (1 - rate) a + rate <|y|>}, in place on {@code activity} (1 x nOut). */
    public static void update(INDArray activity, INDArray output, double rate) {
        // nOut values: Java arithmetic over them costs less than the ND4J ops' own overhead.
        Elements sumAbs = Elements.of(output.norm1(true, 0));
        Elements average = Elements.of(activity);
        double share = rate / output.size(0);
        for (int j = 0; j < activity.length(); j++) {
            average.set(j, (1 - rate) * average.get(j) + share * sumAbs.get(j));
        }
    }
}
