package org.neuroplastic.model.consolidation;

/**
 * Synaptic Intelligence (Zenke, Poole and Ganguli 2017, "Continual Learning Through Synaptic Intelligence",
 * ICML, PMLR 70:3987-3995). While task mu is trained, each parameter's path integral omega_k^mu (the sum
 * over steps of -g_k dtheta_k, see {@link PathIntegral}) is added up; at the task's end (eq. 5)
 * <pre>
 *   Omega_k += omega_k^mu / ((Delta_k^mu)^2 + xi),    Delta_k^mu = theta_k(end of mu) - theta_k(start of mu)
 * </pre>
 * and training on later tasks minimises the task's loss plus (eq. 4)
 * <pre>
 *   c sum_k Omega_k (theta~_k - theta_k)^2
 * </pre>
 * with theta~ the parameters at the end of the previous task. Omega is kept at or above 0 after each
 * task, as the authors' code does (pathint/protocols.py applies relu to the summed importance): a path
 * integral is negative only where the loss rose along the path, and a negative importance would push
 * the parameter away from its anchor.
 *
 * <p>Mutable: {@link #addPathIntegral} during a task, {@link #afterTask} at its end.
 */
public final class SynapticIntelligence {

    private final double c;
    private final double xi;
    private final double[] importance;
    private final double[] pathIntegral;
    private double[] taskStart;
    private double[] anchor;
    private int tasks;

    private SynapticIntelligence(double c, double xi, double[] start) {
        this.c = c;
        this.xi = xi;
        this.importance = new double[start.length];
        this.pathIntegral = new double[start.length];
        this.taskStart = start.clone();
        this.anchor = start.clone();
    }

    /**
     * Before the first task.
     *
     * @param c     the penalty's strength (eq. 4)
     * @param xi    the damping of eq. 5, which bounds the importance of a parameter that barely moved
     * @param start the parameters the first task starts from
     */
    public static SynapticIntelligence start(double c, double xi, double[] start) {
        if (!(c >= 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("c must be a finite number >= 0, found " + c);
        }
        if (!(xi > 0) || Double.isInfinite(xi)) {
            throw new IllegalArgumentException("xi must be a finite number > 0, found " + xi);
        }
        if (start.length < 1) {
            throw new IllegalArgumentException("parameters must be >= 1, found " + start.length);
        }
        return new SynapticIntelligence(c, xi, start);
    }

    /** Adds path integral (one value per parameter) to the current task's. */
    public void addPathIntegral(float[] omega) {
        requireLength(omega.length);
        for (int k = 0; k < omega.length; k++) {
            pathIntegral[k] += omega[k];
        }
    }

    /**
     * Ends the current task at {@code theta}: adds its importance (eq. 5), makes {@code theta} the anchor
     * and the next task's start, clears the path integral, and returns the penalty of eq. 4 for the next task.
     */
    public ConsolidationPenalty afterTask(double[] theta) {
        requireLength(theta.length);
        for (int k = 0; k < theta.length; k++) {
            double delta = theta[k] - taskStart[k];
            importance[k] = Math.max(0.0, importance[k] + pathIntegral[k] / (delta * delta + xi));
            if (!Double.isFinite(importance[k])) {
                throw new IllegalStateException("importance of parameter " + k + " became " + importance[k]);
            }
            pathIntegral[k] = 0;
        }
        taskStart = theta.clone();
        anchor = theta.clone();
        tasks++;
        return trainingPenalty();
    }

    /**
     * c sum_k Omega_k (theta_k - theta~_k)^2 is ConsolidationPenalty's (lambda / 2) sum_k F_k (theta_k - a_k)^2
     * with lambda = 2c, F = Omega and a = theta~: its gradient is 2c Omega (theta - theta~).
     */
    public ConsolidationPenalty trainingPenalty() {
        float[] omega = new float[importance.length];
        float[] tilde = new float[anchor.length];
        for (int k = 0; k < omega.length; k++) {
            omega[k] = (float) importance[k];
            tilde[k] = (float) anchor[k];
        }
        return new ConsolidationPenalty(2 * c, omega, tilde, 0.0);
    }

    /** c sum_k Omega_k (theta_k - theta~_k)^2. */
    public double penalty(double[] theta) {
        requireLength(theta.length);
        double sum = 0;
        for (int k = 0; k < theta.length; k++) {
            double d = theta[k] - anchor[k];
            sum += importance[k] * d * d;
        }
        return c * sum;
    }

    /** d/dtheta_k of the penalty: 2c Omega_k (theta_k - theta~_k). */
    public double[] gradient(double[] theta) {
        requireLength(theta.length);
        double[] gradient = new double[theta.length];
        for (int k = 0; k < theta.length; k++) {
            gradient[k] = 2 * c * importance[k] * (theta[k] - anchor[k]);
        }
        return gradient;
    }

    /** Omega_k, one per parameter. */
    public double[] importance() {
        return importance.clone();
    }

    /** The current task's path integral so far. */
    public double[] pathIntegral() {
        return pathIntegral.clone();
    }

    /** theta~: the parameters at the end of the last task (before the first: the start). */
    public double[] anchor() {
        return anchor.clone();
    }

    public double c() {
        return c;
    }

    public double xi() {
        return xi;
    }

    /** Tasks ended. */
    public int tasks() {
        return tasks;
    }

    private void requireLength(int length) {
        if (length != importance.length) {
            throw new IllegalArgumentException("expected " + importance.length + " parameters, found " + length);
        }
    }
}
