package org.neuroplastic.bench;

import org.neuroplastic.jobs.sweep.Distribution;
import org.neuroplastic.jobs.sweep.SweptParameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The two test functions of global optimisation the search benchmark runs in-process, with their published
 * optima (Surjanovic and Bingham, Virtual Library of Simulation Experiments, "Branin function" and "Hartmann
 * 6-dimensional function"; Dixon and Szegő, "The global optimization problem", 1978).
 */
final class SyntheticObjectives {

    /** Branin-Hoo's minimum, reached at (-π, 12.275), (π, 2.275) and (9.42478, 2.475). */
    static final double BRANIN_MINIMUM = 0.397887;
    /** Hartmann-6's minimum, reached at {@link #HARTMANN6_MINIMISER}. */
    static final double HARTMANN6_MINIMUM = -3.32237;
    static final double[] HARTMANN6_MINIMISER = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {
            {10, 3, 17, 3.5, 1.7, 8},
            {0.05, 10, 17, 0.1, 8, 14},
            {3, 3.5, 1.7, 10, 17, 8},
            {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {
            {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
            {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
            {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
            {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    private SyntheticObjectives() {
    }

    static double branin(double x, double y) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double r = y - b * x * x + c * x - 6;
        return r * r + 10 * (1 - t) * Math.cos(x) + 10;
    }

    static double hartmann6(double[] x) {
        double sum = 0;
        for (int i = 0; i < ALPHA.length; i++) {
            double exponent = 0;
            for (int j = 0; j < x.length; j++) {
                double d = x[j] - P[i][j];
                exponent += A[i][j] * d * d;
            }
            sum += ALPHA[i] * Math.exp(-exponent);
        }
        return -sum;
    }

    /** Branin-Hoo on x in [-5, 10], y in [0, 15]. */
    static SearchObjective branin() {
        List<SweptParameter> parameters = List.of(uniform("x", -5, 10), uniform("y", 0, 15));
        return new Function("branin", "Branin-Hoo, 2-d, x in [-5, 10], y in [0, 15], minimum " + BRANIN_MINIMUM,
                parameters, BRANIN_MINIMUM, s -> branin(number(s, "x"), number(s, "y")));
    }

    /** Hartmann-6 on [0, 1]^6. */
    static SearchObjective hartmann6() {
        List<SweptParameter> parameters = new ArrayList<>();
        for (int j = 0; j < 6; j++) {
            parameters.add(uniform("x" + j, 0, 1));
        }
        return new Function("hartmann6", "Hartmann, 6-d, [0, 1]^6, minimum " + HARTMANN6_MINIMUM,
                List.copyOf(parameters), HARTMANN6_MINIMUM, s -> {
                    double[] x = new double[6];
                    for (int j = 0; j < 6; j++) {
                        x[j] = number(s, "x" + j);
                    }
                    return hartmann6(x);
                });
    }

    private static SweptParameter uniform(String key, double min, double max) {
        return new SweptParameter(key, List.of(), new Distribution(Distribution.Kind.UNIFORM, min, max));
    }

    private static double number(Map<String, String> setting, String key) {
        return Double.parseDouble(setting.get(key));
    }

    private record Function(String name, String description, List<SweptParameter> parameters, double reference,
                            ToDoubleFunction<Map<String, String>> f) implements SearchObjective {
        @Override
        public double value(Map<String, String> setting) {
            return f.applyAsDouble(setting);
        }
    }
}
