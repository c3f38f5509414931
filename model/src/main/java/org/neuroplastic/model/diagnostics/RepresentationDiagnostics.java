package org.neuroplastic.model.diagnostics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;

import java.util.Arrays;

/**
 * Readings of a layer's representation on a probe batch that tell whether a network is losing its
 * plasticity, as Dohare et al. ("Loss of plasticity in deep continual learning", Nature 2024) measure it:
 * the fraction of dead units and the effective rank of the hidden representation.
 */
public final class RepresentationDiagnostics {

    private RepresentationDiagnostics() {
    }

    /**
     * The fraction of units (columns) whose output is zero for every example (row) of the probe batch: a
     * ReLU unit in that state receives no gradient from this data and no longer learns.
     *
     * @param activations examples x units
     */
    public static double deadUnitFraction(INDArray activations) {
        requireMatrix(activations);
        long units = activations.columns();
        double[][] values = activations.castTo(DataType.DOUBLE).toDoubleMatrix();
        int dead = 0;
        for (int unit = 0; unit < units; unit++) {
            boolean silent = true;
            for (double[] example : values) {
                if (example[unit] != 0) {
                    silent = false;
                    break;
                }
            }
            dead += silent ? 1 : 0;
        }
        return (double) dead / units;
    }

    /**
     * The effective rank of Roy and Vetterli ("The effective rank: a measure of effective dimensionality",
     * EUSIPCO 2007, definition 1): with the singular values σ of the representation matrix and
     * p_k = σ_k / Σσ, erank = exp(−Σ p_k ln p_k), taking 0 ln 0 = 0. It lies between 1 (all the
     * representation along one direction) and the rank; Dohare et al. use it on the hidden representation of
     * a probe batch. A matrix of zeros has effective rank 0 here.
     *
     * @param activations examples x units
     */
    public static double effectiveRank(INDArray activations) {
        double[] singular = singularValues(activations);
        double sum = 0;
        for (double s : singular) {
            sum += s;
        }
        if (sum == 0) {
            return 0;
        }
        double entropy = 0;
        for (double s : singular) {
            double p = s / sum;
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /** The mean absolute value of a weight matrix, the third reading Dohare et al. track. */
    public static double meanAbsoluteWeight(INDArray weights) {
        return weights.castTo(DataType.DOUBLE).ameanNumber().doubleValue();
    }

    /**
     * Singular values as square roots of the eigenvalues of the smaller Gram matrix (AᵀA or AAᵀ, in double
     * precision); eigenvalues that rounding makes slightly negative count as zero.
     */
    static double[] singularValues(INDArray activations) {
        requireMatrix(activations);
        INDArray a = activations.castTo(DataType.DOUBLE);
        INDArray gram = a.rows() >= a.columns() ? a.transpose().mmul(a) : a.mmul(a.transpose());
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(gram.dup('c'), false);
        double[] values = eigenvalues.toDoubleVector();
        double[] singular = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            singular[i] = Math.sqrt(Math.max(0, values[i]));
        }
        return singular;
    }

    private static void requireMatrix(INDArray activations) {
        if (activations.rank() != 2 || activations.rows() == 0 || activations.columns() == 0) {
            throw new IllegalArgumentException("expected a non-empty examples x units matrix, found shape "
                    + Arrays.toString(activations.shape()));
        }
    }
}
