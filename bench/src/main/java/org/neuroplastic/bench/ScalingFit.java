package org.neuroplastic.bench;

import java.util.List;

/**
 * The least-squares fit of {@code overhead_ms = a + b*N + c*N*P} to measured rounds: a fixed cost per round,
 * a cost per worker (a task, its scheduling and its result), and a cost per value a worker sends (what
 * averaging through the driver pays for every worker's copy of the parameters).
 *
 * @param a      ms per round
 * @param b      ms per worker
 * @param c      ms per worker and parameter
 * @param points the configurations fitted
 */
public record ScalingFit(double a, double b, double c, int points) {

    /** One measured configuration. */
    public record Point(int workers, long parameters, double overheadMs) {
    }

    /** The fitted overhead of a round with {@code workers} workers of {@code parameters} parameters each. */
    public double predict(int workers, long parameters) {
        return a + b * workers + c * (double) workers * parameters;
    }

    /**
     * Fits the three coefficients by Householder QR on columns scaled to unit largest magnitude ({@code N*P}
     * reaches 1e9 while the constant column is 1, so the normal equations would lose most of the digits).
     *
     * @throws IllegalArgumentException with fewer than 3 points, or when the points do not determine all
     *                                  three coefficients (e.g. every point has the same N)
     */
    public static ScalingFit of(List<Point> points) {
        int m = points.size();
        if (m < 3) {
            throw new IllegalArgumentException("the fit a + b*N + c*N*P needs at least 3 configurations, found " + m);
        }
        double[][] x = new double[m][3];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            Point p = points.get(i);
            x[i][0] = 1;
            x[i][1] = p.workers();
            x[i][2] = (double) p.workers() * p.parameters();
            y[i] = p.overheadMs();
        }
        double[] scale = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < m; i++) {
                scale[j] = Math.max(scale[j], Math.abs(x[i][j]));
            }
            for (int i = 0; i < m; i++) {
                x[i][j] /= scale[j];
            }
        }
        double[] r = new double[3];
        for (int k = 0; k < 3; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += x[i][k] * x[i][k];
            }
            norm = Math.sqrt(norm);
            if (norm < 1e-12) {
                throw new IllegalArgumentException("the configurations do not determine a, b and c of a + b*N + c*N*P "
                        + "(measure at least two worker counts and, at one of them, two parameter counts)");
            }
            double alpha = x[k][k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) {
                v[i] = x[i][k];
            }
            v[k] -= alpha;
            double vv = 0;
            for (int i = k; i < m; i++) {
                vv += v[i] * v[i];
            }
            for (int j = k; j < 3; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * x[i][j];
                }
                for (int i = k; i < m; i++) {
                    x[i][j] -= 2 * dot / vv * v[i];
                }
            }
            double dot = 0;
            for (int i = k; i < m; i++) {
                dot += v[i] * y[i];
            }
            for (int i = k; i < m; i++) {
                y[i] -= 2 * dot / vv * v[i];
            }
            r[k] = x[k][k];
        }
        double[] coefficients = new double[3];
        for (int k = 2; k >= 0; k--) {
            double sum = y[k];
            for (int j = k + 1; j < 3; j++) {
                sum -= x[k][j] * coefficients[j];
            }
            if (Math.abs(r[k]) < 1e-12) {
                throw new IllegalArgumentException("the configurations do not determine a, b and c of a + b*N + c*N*P "
                        + "(measure at least two worker counts and, at one of them, two parameter counts)");
            }
            coefficients[k] = sum / r[k];
        }
        return new ScalingFit(coefficients[0] / scale[0], coefficients[1] / scale[1], coefficients[2] / scale[2], m);
    }
}
