package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Updates a Hebbian trace H (nIn x nOut) in place from one batch of inputs x and outputs y. */
public final class HebbianTrace {

    private HebbianTrace() {
    }

    /**
     * Applies one step of {@code rule}.
     *
     * @param trace       H, column-major, updated in place
     * @param input       x, batch x nIn
     * @param output      y, batch x nOut
     * @param correlation column-major scratch of H's shape; receives the batch-mean outer product {@code <x^T y>}
     */
    public static void update(HebbianRule rule, double eta, INDArray trace, INDArray input, INDArray output,
                              INDArray correlation) {
        long batch = input.size(0);
        Nd4j.gemm(input, output, correlation, true, false, 1.0 / batch, 0.0);
        int rows = (int) trace.size(0);
        int columns = (int) trace.size(1);
        Elements h = Elements.of(trace);
        Elements c = Elements.of(correlation);
        Elements norms = rule == HebbianRule.OJA ? Elements.of(output.norm2(true, 0)) : null;
        double[] traceColumn = new double[rows];
        double[] correlationColumn = new double[rows];
        for (int j = 0; j < columns; j++) {
            double keep;
            double step;
            switch (rule) {
                // Miconi et al. 2018, eq. 2: an exponential average of the correlation, bounded by its range.
                case DECAY -> {
                    keep = 1 - eta;
                    step = eta;
                }
                // Oja 1982: dH_ij = eta_j (<x_i y_j> - <y_j^2> H_ij), a convex step toward <x_i y_j> / <y_j^2>:
                // eta_j = min(eta, 1 / <y_j^2>) never passes that target, so H stays bounded by the largest ratio.
                case OJA -> {
                    double norm = norms.get(j);
                    double meanSquare = norm * norm / batch;
                    step = eta * meanSquare > 1 ? 1 / meanSquare : eta;
                    keep = 1 - step * meanSquare;
                }
                default -> throw new IllegalStateException("Unknown Hebbian rule " + rule);
            }
            int from = j * rows;
            h.read(from, traceColumn, rows);
            c.read(from, correlationColumn, rows);
            for (int i = 0; i < rows; i++) {
                traceColumn[i] = keep * traceColumn[i] + step * correlationColumn[i];
            }
            h.write(from, traceColumn, rows);
        }
    }
}
