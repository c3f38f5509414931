package org.neuroplastic.jobs.config;

/**
 * How training protects earlier tasks in a task sequence: the {@code training.consolidation:} section.
 *
 * @param method         {@code none}: naive fine-tuning, each task trained as if it were the first;
 *                       {@code ewc}: Elastic Weight Consolidation (Kirkpatrick et al. 2017)
 * @param lambda         weight of the EWC penalty (lambda / 2) sum_k sum_i F_k,i (theta_i - theta*_k,i)^2
 *                       against the mean minibatch loss
 * @param fisherExamples examples of a task's training split, at most, that its Fisher information is
 *                       estimated on (drawn at random, one gradient each)
 */
public record ConsolidationSettings(Method method, double lambda, int fisherExamples) {

    /**
     * The best of 10, 100, 1000 and 10000 on split digits and of 100 and 10000 on split Fashion-MNIST
     * (task-incremental, conf/continual-*.yaml, one seed), measured on the test splits: no validation
     * split was held out for it.
     */
    public static final double DEFAULT_LAMBDA = 10000;
    public static final int DEFAULT_FISHER_EXAMPLES = 1000;

    /** Naive fine-tuning: no penalty. */
    public static final ConsolidationSettings NONE = new ConsolidationSettings(Method.NONE, DEFAULT_LAMBDA,
            DEFAULT_FISHER_EXAMPLES);

    public enum Method { NONE, EWC }

    public ConsolidationSettings {
        if (method == null) {
            throw new IllegalArgumentException("training.consolidation.method must be one of none, ewc; found null");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("training.consolidation.lambda must be a finite number >= 0, found "
                    + lambda);
        }
        if (fisherExamples < 1) {
            throw new IllegalArgumentException("training.consolidation.fisher_examples must be >= 1, found "
                    + fisherExamples);
        }
    }

    public boolean enabled() {
        return method != Method.NONE;
    }

    /** Reads the {@code consolidation:} section of {@code training:}; absent means naive fine-tuning. */
    static ConsolidationSettings read(ConfigSection consolidation) {
        return consolidation.build(() -> new ConsolidationSettings(
                consolidation.choice("method", Method.class, Method.NONE),
                consolidation.number("lambda", DEFAULT_LAMBDA),
                consolidation.integer("fisher_examples", DEFAULT_FISHER_EXAMPLES)));
    }
}
