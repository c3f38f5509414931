package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.network.DropoutMasks;
import org.neuroplastic.model.network.NativeMemory;
import org.neuroplastic.model.network.PlasticNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The diagonal of the empirical Fisher information of a network's learned parameters on a task's examples,
 * F_i = mean over examples (x, y) of (d log p(y|x) / d theta_i)^2, the importance Elastic Weight
 * Consolidation weighs each parameter with (Kirkpatrick et al. 2017, PNAS 114(13), eq. 3 and its
 * supplement). The log-likelihood is the network's own training loss per example: for softmax with
 * cross-entropy exactly -log p(y|x); for DL4J's MSE, (1/n) ||y - f(x)||^2, the negative log-likelihood of
 * a Gaussian of variance n/2 up to a constant.
 *
 * <p>Each example's gradient is computed alone (a minibatch of one) on a clone of the network whose
 * plastic layers do not update their state, so every gradient is taken at the network's current state
 * and the network itself is left untouched (a training pass would move its traces and averages).
 */
public final class FisherInformation {

    /** Dropout masks of the Fisher's passes are drawn as this worker's, apart from every training worker's. */
    private static final int FISHER_PASS = -1;

    private FisherInformation() {
    }

    /**
     * The diagonal Fisher of {@code network} on at most {@code maxExamples} of the examples in
     * {@code data}, drawn uniformly without replacement with {@code seed} when there are more; one value
     * per element of {@code network.params()}, exactly 0 at plastic state.
     */
    public static double[] diagonal(MultiLayerNetwork network, List<DataSet> data, int maxExamples, long seed) {
        if (maxExamples < 1) {
            throw new IllegalArgumentException("maxExamples must be >= 1, found " + maxExamples);
        }
        List<long[]> examples = sample(data, maxExamples, seed);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("the Fisher information needs at least one example, found none");
        }
        boolean[] learned = LearnedParameters.of(network);
        MultiLayerNetwork probe = network.clone();
        try {
            PlasticNetwork.setStateUpdates(probe, false);
            DropoutMasks.seedFor(probe, network.getIterationCount(), FISHER_PASS);
            INDArray sumOfSquares = null;
            for (long[] example : examples) {
                DataSet one = data.get((int) example[0]).get((int) example[1]);
                probe.setInput(one.getFeatures());
                probe.setLabels(one.getLabels());
                probe.computeGradientAndScore();
                INDArray gradient = probe.gradient().gradient();
                INDArray squared = gradient.mul(gradient);
                sumOfSquares = sumOfSquares == null ? squared : sumOfSquares.addi(squared);
            }
            double[] fisher = sumOfSquares.toDoubleVector();
            for (int i = 0; i < fisher.length; i++) {
                fisher[i] = learned[i] ? fisher[i] / examples.size() : 0.0;
            }
            return fisher;
        } finally {
            NativeMemory.release(probe);
        }
    }

    /** (minibatch, row) pairs: all of them, or {@code max} drawn without replacement, in data order. */
    private static List<long[]> sample(List<DataSet> data, int max, long seed) {
        List<long[]> all = new ArrayList<>();
        for (int b = 0; b < data.size(); b++) {
            int rows = data.get(b).numExamples();
            for (int r = 0; r < rows; r++) {
                all.add(new long[] {b, r});
            }
        }
        if (all.size() <= max) {
            return all;
        }
        int[] order = new int[all.size()];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(order.length - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] chosen = Arrays.copyOf(order, max);
        Arrays.sort(chosen);
        List<long[]> sample = new ArrayList<>(max);
        for (int k : chosen) {
            sample.add(all.get(k));
        }
        return sample;
    }
}
