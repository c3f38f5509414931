package org.neuroplastic.jobs.train;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A penalty term added to every worker's training loss during one continual-learning task, such as
 * elastic weight consolidation's {@code lambda/2 * sum_i F_i (theta_i - theta*_i)^2} (Kirkpatrick et al.
 * 2017). A {@link TaskBoundary} returns it on the driver; the training master broadcasts it once per task
 * and every worker applies it to each of its minibatches through {@link #addGradient}.
 *
 * <p>It travels as a Java-serialized broadcast (records are fine; Kryo cannot build them), once per
 * task, and is deserialized again by every round's task on the workers: keep its state in plain arrays
 * ({@code float[]}), not INDArrays. Arrays derived on the worker (e.g. the same values as INDArrays) may
 * be cached in {@code transient} fields; such a cache lives for one round.
 */
public interface GradientPenalty extends Serializable {

    /**
     * Adds {@code scale} times the penalty's gradient at {@code parameters} to {@code gradient}, in place.
     * Called on the worker for every minibatch, after DL4J has computed the loss gradient and before the
     * updater (Adam, SGD, ...) turns it into a step, so the penalty acts exactly as a term of the loss.
     *
     * @param parameters the worker network's flat parameter vector (its {@code params()}, shape
     *                   {@code [1, n]}); read only
     * @param gradient   the network's flat gradient vector, same layout as {@code parameters}
     * @param scale      what the penalty's gradient must be multiplied by to count once per step: DL4J's
     *                   gradient is still the minibatch's sum here (its updater divides by the minibatch
     *                   size afterwards), so this is the minibatch size, or 1 when the network's
     *                   configuration does not divide
     */
    void addGradient(INDArray parameters, INDArray gradient, double scale);
}
