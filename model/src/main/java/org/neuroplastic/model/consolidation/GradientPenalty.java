package org.neuroplastic.model.consolidation;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * A penalty term Omega(theta) added to a network's training loss, such as elastic weight consolidation's
 * {@code lambda/2 * sum_i F_i (theta_i - theta*_i)^2} (Kirkpatrick et al. 2017). {@link PenaltyListener}
 * applies it inside {@code fit}.
 *
 * <p>In the train job it travels from the driver to the workers as a Java-serialized broadcast, once per
 * task, and is deserialized again by every round's task: keep its state in plain arrays ({@code float[]}),
 * not INDArrays. Arrays derived on the worker (e.g. the same values as INDArrays) may be cached in
 * {@code transient} fields. One instance may serve several networks at once (Spark's executor threads share
 * a broadcast value in local mode), so such caches must be safe to build from several threads.
 */
public interface GradientPenalty extends Serializable {

    /**
     * Adds {@code scale} times the penalty's gradient at {@code parameters} to {@code gradient}, in place.
     *
     * @param parameters the network's flat parameter vector (its {@code params()}, shape {@code [1, n]}); read only
     * @param gradient   the network's flat gradient vector, same layout as {@code parameters}
     * @param scale      what the penalty's gradient must be multiplied by to count once per step
     */
    void addGradient(INDArray parameters, INDArray gradient, double scale);
}
