package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The bookkeeping of continual backprop's generate-and-test, one hidden layer at a time, as Dohare et al.'s
 * code computes it for their permuted-MNIST runs (shibhansh/loss-of-plasticity, lop/algos/gnt.py,
 * {@code util_type: adaptable_contribution}, {@code accumulate: true}). Per unit i, with decay d:
 * <pre>
 *   training forward pass, output h (batch x units):
 *     age_i       += 1
 *     mean_i       = d mean_i + (1 - d) avg_b h_bi
 *     deviation_i  = avg_b | h_bi - mean_i / (1 - d^age_i) |
 *   after the update, with the layer's incoming weights W (in x units) and the next layer's W' (units x out):
 *     utility_i    = d utility_i + (1 - d) deviation_i avg_k |W'_ik| / avg_j |W_ji|
 *   replacement: the mature units (age_i > maturity) of least bias-corrected utility utility_i / (1 - d^age_i)
 * </pre>
 * All vectors are the layer's 1 x units state rows.
 */
public final class UnitUtility {

    private UnitUtility() {
    }

    /** Ages, running mean and deviation after a training forward pass whose output is {@code h}. */
    public static void observe(INDArray age, INDArray mean, INDArray deviation, INDArray h, double decay) {
        age.addi(1);
        mean.muli(decay).addi(h.mean(0).reshape(mean.shape()).castTo(mean.dataType()).muli(1 - decay));
        double[] ages = age.toDoubleVector();
        double[] means = mean.toDoubleVector();
        double[] corrected = new double[ages.length];
        for (int i = 0; i < ages.length; i++) {
            corrected[i] = means[i] / (1 - Math.pow(decay, ages[i]));
        }
        INDArray centre = Nd4j.create(corrected, new long[] {1, corrected.length}).castTo(h.dataType());
        INDArray deviations = Transforms.abs(h.subRowVector(centre), false).mean(0);
        deviation.assign(deviations.reshape(deviation.shape()).castTo(deviation.dataType()));
    }

    /**
     * The running utility after an update. A unit whose incoming weights are all zero has a constant output,
     * hence no deviation: its step contributes 0 rather than Dohare et al.'s 0 / 0.
     */
    public static void accumulate(INDArray utility, INDArray deviation, INDArray incoming, INDArray outgoing,
                                  double decay) {
        double[] in = Transforms.abs(incoming, true).mean(0).toDoubleVector();
        double[] out = Transforms.abs(outgoing, true).mean(1).toDoubleVector();
        double[] dev = deviation.toDoubleVector();
        double[] u = utility.toDoubleVector();
        for (int i = 0; i < u.length; i++) {
            double step = in[i] == 0 ? 0 : dev[i] * out[i] / in[i];
            u[i] = decay * u[i] + (1 - decay) * step;
        }
        utility.assign(Nd4j.create(u, utility.shape()).castTo(utility.dataType()));
    }

    /**
     * How many (unit, step) pairs of the last {@code steps} steps had a mature unit, given the ages now: a
     * unit aged a now was aged a - j, j steps ago. Dohare et al. add {@code rate} times the mature count at
     * every step; a trainer that replaces once per averaging round adds the same total at the round's end.
     */
    public static double matureUnitSteps(double[] ages, int maturity, long steps) {
        double total = 0;
        for (double age : ages) {
            total += Math.min(steps, Math.max(0, (long) Math.ceil(age - maturity)));
        }
        return total;
    }

    /**
     * The {@code count} mature units of least bias-corrected utility, fewer if fewer are mature; ties go to
     * the lower index, so that every worker holding the same state chooses the same units.
     */
    public static int[] leastUseful(double[] utility, double[] ages, int maturity, double decay, int count) {
        List<Integer> mature = new ArrayList<>();
        double[] corrected = new double[utility.length];
        for (int i = 0; i < utility.length; i++) {
            if (ages[i] > maturity) {
                mature.add(i);
                corrected[i] = utility[i] / (1 - Math.pow(decay, ages[i]));
            }
        }
        mature.sort(Comparator.<Integer>comparingDouble(i -> corrected[i]).thenComparingInt(i -> i));
        return mature.stream().limit(count).mapToInt(Integer::intValue).toArray();
    }
}
