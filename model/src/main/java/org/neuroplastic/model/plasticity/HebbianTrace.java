package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Updates a Hebbian trace H (nIn x nOut) in place from one batch of inputs x and outputs y. */
public final class HebbianTrace {

    private HebbianTrace() {
    }

    /**
     * Applies one step of {@code rule}.
     *
     * @param trace       H, updated in place
     * @param input       x, batch x nIn
     * @param output      y, batch x nOut
     * @param correlation scratch of H's shape; receives the batch-mean outer product {@code <x^T y>}, then
     *                    its share of the step
     */
    public static void update(HebbianRule rule, double eta, INDArray trace, INDArray input, INDArray output,
                              INDArray correlation) {
        long batch = input.size(0);
        Nd4j.gemm(input, output, correlation, true, false, 1.0 / batch, 0.0);
        switch (rule) {
            // Miconi et al. 2018, eq. 2: an exponential average of the correlation, bounded by its range.
            case DECAY -> trace.muli(1 - eta).addi(correlation.muli(eta));
            // Oja 1982: dH_ij = eta_j (<x_i y_j> - <y_j^2> H_ij), a convex step toward <x_i y_j> / <y_j^2>:
            // eta_j = min(eta, 1 / <y_j^2>) never passes that target, so H stays bounded by the largest ratio.
            // A silent column (<y_j^2> = 0) gets eta_j = min(eta, infinity) = eta and keeps H_ij.
            case OJA -> {
                INDArray meanSquare = Transforms.pow(output.norm2(true, 0), 2, false).divi(batch);
                INDArray step = Transforms.min(meanSquare.rdiv(1.0), eta, false);
                INDArray keep = step.mul(meanSquare).rsubi(1.0);
                trace.muliRowVector(keep).addi(correlation.muliRowVector(step));
            }
            default -> throw new IllegalStateException("Unknown Hebbian rule " + rule);
        }
    }
}
