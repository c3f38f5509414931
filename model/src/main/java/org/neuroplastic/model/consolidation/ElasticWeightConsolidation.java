package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * Elastic Weight Consolidation (Kirkpatrick et al. 2017, "Overcoming catastrophic forgetting in neural
 * networks", PNAS 114(13):3521-3526): after each task k the network remembers its parameters theta*_k and
 * their importance F_k (the diagonal {@link FisherInformation}); training on later tasks then minimises
 * the task's loss plus
 * <pre>
 *   Omega(theta) = (lambda / 2) sum_k sum_i F_k,i (theta_i - theta*_k,i)^2
 * </pre>
 * one quadratic penalty per previous task, as the paper does for more than two tasks (its section on
 * permuted MNIST), not the online variant with a single running Fisher and the latest anchor (Schwarz
 * et al. 2018, "Progress and Compress", ICML), which forgets old anchors by design.
 *
 * <p>A sum of quadratics is one quadratic: with F_i = sum_k F_k,i and the Fisher-weighted anchor
 * a_i = sum_k F_k,i theta*_k,i / F_i, Omega(theta) = (lambda / 2) (sum_i F_i (theta_i - a_i)^2 + c) with
 * c = sum_k sum_i F_k,i theta*_k,i^2 - sum_i F_i a_i^2. So the exact per-task penalty is kept in three
 * vectors' worth of running sums, and a worker needs only (F, a, c), whatever the number of tasks.
 *
 * <p>Immutable: {@link #afterTask} returns the consolidation with one more task.
 */
public final class ElasticWeightConsolidation {

    private final double lambda;
    private final int tasks;
    private final double[] importance;
    private final double[] weightedAnchor;
    private final double anchorSquares;
    private final double[] latestAnchor;

    private ElasticWeightConsolidation(double lambda, int tasks, double[] importance, double[] weightedAnchor,
                                       double anchorSquares, double[] latestAnchor) {
        this.lambda = lambda;
        this.tasks = tasks;
        this.importance = importance;
        this.weightedAnchor = weightedAnchor;
        this.anchorSquares = anchorSquares;
        this.latestAnchor = latestAnchor;
    }

    /** No task remembered yet: the penalty is 0 until the first {@link #afterTask}. */
    public static ElasticWeightConsolidation start(double lambda, int parameters) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, found " + lambda);
        }
        if (parameters < 1) {
            throw new IllegalArgumentException("parameters must be >= 1, found " + parameters);
        }
        return new ElasticWeightConsolidation(lambda, 0, new double[parameters], new double[parameters], 0.0,
                new double[parameters]);
    }

    /**
     * Remembers the task just trained: {@code network}'s current parameters as its anchor and their Fisher
     * information on at most {@code fisherExamples} of {@code taskData} (drawn with {@code seed}).
     */
    public ElasticWeightConsolidation afterTask(MultiLayerNetwork network, List<DataSet> taskData, int fisherExamples,
                                                long seed) {
        double[] fisher = FisherInformation.diagonal(network, taskData, fisherExamples, seed);
        return remember(fisher, network.params().toDoubleVector());
    }

    /** Adds task k with importance {@code fisher} (F_k) and anchor {@code anchor} (theta*_k). */
    public ElasticWeightConsolidation remember(double[] fisher, double[] anchor) {
        if (fisher.length != importance.length || anchor.length != importance.length) {
            throw new IllegalArgumentException("expected " + importance.length + " importances and anchors, found "
                    + fisher.length + " and " + anchor.length);
        }
        double[] nextImportance = importance.clone();
        double[] nextWeighted = weightedAnchor.clone();
        double nextSquares = anchorSquares;
        for (int i = 0; i < fisher.length; i++) {
            if (!(fisher[i] >= 0) || Double.isInfinite(fisher[i])) {
                throw new IllegalArgumentException("importance must be finite and >= 0, found " + fisher[i]
                        + " at parameter " + i);
            }
            nextImportance[i] += fisher[i];
            nextWeighted[i] += fisher[i] * anchor[i];
            nextSquares += fisher[i] * anchor[i] * anchor[i];
        }
        return new ElasticWeightConsolidation(lambda, tasks + 1, nextImportance, nextWeighted, nextSquares,
                anchor.clone());
    }

    public double lambda() {
        return lambda;
    }

    /** Tasks remembered. */
    public int tasks() {
        return tasks;
    }

    /** F_i = sum_k F_k,i, one per parameter. */
    public double[] importance() {
        return importance.clone();
    }

    /**
     * a_i, the Fisher-weighted mean of the anchors; where no task gave parameter i any importance, the
     * latest anchor (the penalty does not depend on it there).
     */
    public double[] anchor() {
        double[] anchor = new double[importance.length];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = importance[i] > 0 ? weightedAnchor[i] / importance[i] : latestAnchor[i];
        }
        return anchor;
    }

    /** Omega(theta) = (lambda / 2) sum_k sum_i F_k,i (theta_i - theta*_k,i)^2. */
    public double penalty(double[] theta) {
        requireLength(theta);
        double[] anchor = anchor();
        double sum = constant(anchor);
        for (int i = 0; i < theta.length; i++) {
            double d = theta[i] - anchor[i];
            sum += importance[i] * d * d;
        }
        return lambda / 2 * sum;
    }

    /** d Omega / d theta_i = lambda sum_k F_k,i (theta_i - theta*_k,i). */
    public double[] gradient(double[] theta) {
        requireLength(theta);
        double[] gradient = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            gradient[i] = lambda * (importance[i] * theta[i] - weightedAnchor[i]);
        }
        return gradient;
    }

    /** The training listener that adds this penalty's gradient (with no task remembered: 0). */
    public ConsolidationPenalty trainingPenalty() {
        double[] anchor = anchor();
        return new ConsolidationPenalty(lambda, toFloats(importance), toFloats(anchor), constant(anchor));
    }

    /** c = sum_k sum_i F_k,i theta*_k,i^2 - sum_i F_i a_i^2, the part of Omega that theta does not move. */
    private double constant(double[] anchor) {
        double c = anchorSquares;
        for (int i = 0; i < anchor.length; i++) {
            c -= importance[i] * anchor[i] * anchor[i];
        }
        return c;
    }

    private void requireLength(double[] theta) {
        if (theta.length != importance.length) {
            throw new IllegalArgumentException("expected " + importance.length + " parameters, found " + theta.length);
        }
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
