package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Updates a Hebbian trace H (nIn x nOut) in place from one batch of inputs x and outputs y.
 *
 * <p>Both rules are a per-column decay of H plus a per-column share of the batch-mean correlation
 * {@code <x^T y>}, so the correlation is accumulated into H by the GEMM itself ({@code beta} = the decay) rather
 * than written to a scratch matrix and added: one or two passes over H's size instead of four, and one or four
 * ND4J ops a step instead of four or eleven (each op leaves native wrappers for the collector to trace; see
 * docs/BENCHMARKS.md, "Parallel sweeps"). Oja's per-column factors are computed in Java: nOut values.
 */
public final class HebbianTrace {

    private HebbianTrace() {
    }

    /**
     * Applies one step of {@code rule}.
     *
     * @param trace  H, updated in place (contiguous, as a parameter view is)
     * @param input  x, batch x nIn
     * @param output y, batch x nOut
     * @param keep   scratch row (1 x nOut) for Oja's per-column decay; unused by {@link HebbianRule#DECAY}
     * @param step   scratch row (1 x nOut) for Oja's per-column step; unused by {@link HebbianRule#DECAY}
     */
    public static void update(HebbianRule rule, double eta, INDArray trace, INDArray input, INDArray output,
                              INDArray keep, INDArray step) {
        long batch = input.size(0);
        switch (rule) {
            // Miconi et al. 2018, eq. 2: H <- (1 - eta) H + eta <x^T y>, an exponential average of the correlation.
            case DECAY -> Nd4j.gemm(input, output, trace, true, false, eta / batch, 1 - eta);
            // Oja 1982: dH_ij = eta_j (<x_i y_j> - <y_j^2> H_ij), a convex step toward <x_i y_j> / <y_j^2>:
            // eta_j = min(eta, 1 / <y_j^2>) never passes that target, so H stays bounded by the largest ratio.
            // A silent column (<y_j^2> = 0) gets eta_j = min(eta, infinity) = eta and keeps H_ij.
            // H <- H (.) keep_row + x^T (y (.) step_row) / batch, with keep_j = 1 - eta_j <y_j^2>.
            case OJA -> {
                Elements norms = Elements.of(output.norm2(true, 0));
                Elements keeps = Elements.of(keep);
                Elements steps = Elements.of(step);
                for (int j = 0; j < keep.length(); j++) {
                    double norm = norms.get(j);
                    double meanSquare = norm * norm / batch;
                    double columnStep = Math.min(eta, 1 / meanSquare);
                    keeps.set(j, 1 - columnStep * meanSquare);
                    steps.set(j, columnStep);
                }
                trace.muliRowVector(keep);
                Nd4j.gemm(input, output.mulRowVector(step), trace, true, false, 1.0 / batch, 1.0);
            }
            default -> throw new IllegalStateException("Unknown Hebbian rule " + rule);
        }
    }
}
