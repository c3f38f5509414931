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
        switch (rule) {
            // Miconi et al. 2018, eq. 2: an exponential average of the correlation, bounded by its range.
            case DECAY -> {
                for (int k = 0, n = rows * columns; k < n; k++) {
                    h.set(k, (1 - eta) * h.get(k) + eta * c.get(k));
                }
            }
            // Oja 1982: dH_ij = eta (<x_i y_j> - <y_j^2> H_ij); the decay by <y_j^2> keeps H bounded.
            // The kept fraction 1 - eta <y_j^2> is floored at 0: a batch with eta <y_j^2> > 1 may at most
            // forget the trace, never flip its sign and overshoot (which grows without bound past 2).
            case OJA -> {
                Elements norms = Elements.of(output.norm2(true, 0));
                for (int j = 0, k = 0; j < columns; j++) {
                    double norm = norms.get(j);
                    double keep = Math.max(0, 1 - eta * norm * norm / batch);
                    for (int i = 0; i < rows; i++, k++) {
                        h.set(k, keep * h.get(k) + eta * c.get(k));
                    }
                }
            }
        }
    }
}
