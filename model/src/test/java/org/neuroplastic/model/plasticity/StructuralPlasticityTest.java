package org.neuroplastic.model.plasticity;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.layer.PlasticDense;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.layer.TinyPlasticLayer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertClose;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.layer;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;
import static org.neuroplastic.model.layer.TinyPlasticLayer.param;
import static org.neuroplastic.model.layer.TinyPlasticLayer.set;

/**
 * Prune and regrow on the 2 x 3 layer. Alpha is fixed at 1 and there is no scaling, so
 * {@code W_eff = M (.) (W + H)}. The numbers are chosen so that ranking by |W|, by |W + H| or by |W_eff|
 * would each pick different connections:
 * <pre>
 *   M     = [[1, 0, 1], [0, 1, 0]]            present (0,0) (0,2) (1,1); absent (0,1) (1,0) (1,2)
 *   W     = [[0.1, 0.7, -0.3], [0.9, 0.2, 0.4]]
 *   H     = [[0.5, 0.05, 0], [-0.8, 0, 0.3]]
 *   W + H = [[0.6, 0.75, -0.3], [0.1, 0.2, 0.7]]
 *   |W_eff| of the present: (0,0) 0.6, (0,2) 0.3, (1,1) 0.2
 * </pre>
 * zeta 0.7 prunes floor(0.7 * 3) = 2: (1,1) and (0,2) (by |W| it would be (0,0) and (1,1)).
 * Hebbian regrowth takes the 2 absent with the largest |H|: (1,0) 0.8 and (1,2) 0.3 (not (0,1) 0.05).
 */
class StructuralPlasticityTest {

    private static final INDArray MASK = matrix(new double[] {1, 0, 1}, new double[] {0, 1, 0});
    private static final INDArray WEIGHT = matrix(new double[] {0.1, 0.7, -0.3}, new double[] {0.9, 0.2, 0.4});
    private static final INDArray TRACE = matrix(new double[] {0.5, 0.05, 0}, new double[] {-0.8, 0, 0.3});

    private static MultiLayerNetwork tinyLayer(Regrowth regrowth, long seed) {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.DECAY, 0.5, PlasticityCoefficient.FIXED, 1.0))
                .withStructural(StructuralSettings.on(0.5, 0.7, 1000, regrowth)), Activation.IDENTITY, seed);
        set(net, PlasticDenseParameters.MASK, MASK);
        set(net, PlasticDenseParameters.WEIGHT, WEIGHT);
        set(net, PlasticDenseParameters.TRACE, TRACE);
        return net;
    }

    @Test
    void hebbianRewiringPrunesSmallestEffectiveWeightsAndRegrowsLargestTraces() {
        MultiLayerNetwork net = tinyLayer(Regrowth.HEBBIAN, 7);

        StructuralPlasticity.Rewiring r = layer(net).rewire(1);

        assertThat(r).isEqualTo(new StructuralPlasticity.Rewiring(2, 2));
        assertClose(param(net, PlasticDenseParameters.MASK), matrix(new double[] {1, 0, 0}, new double[] {1, 0, 1}), 0);
        // Regrown (1,0) and (1,2) start at 0; pruned connections keep their weight (masked out).
        assertClose(param(net, PlasticDenseParameters.WEIGHT), matrix(new double[] {0.1, 0.7, -0.3}, new double[] {0, 0.2, 0}), 0);
        assertClose(param(net, PlasticDenseParameters.TRACE), TRACE, 0);
    }

    @Test
    void randomRewiringPrunesSmallestEffectiveWeightsAndRegrowsAsManyAbsentOnesAtZero() {
        MultiLayerNetwork net = tinyLayer(Regrowth.RANDOM, 7);

        StructuralPlasticity.Rewiring r = layer(net).rewire(1);

        assertThat(r).isEqualTo(new StructuralPlasticity.Rewiring(2, 2));
        INDArray mask = param(net, PlasticDenseParameters.MASK);
        INDArray weight = param(net, PlasticDenseParameters.WEIGHT);
        assertThat(mask.sumNumber().doubleValue()).isEqualTo(3.0);
        // The pruned set is exactly {(0,2), (1,1)}; (0,0) survives.
        assertThat(mask.getDouble(0, 0)).isEqualTo(1.0);
        assertThat(mask.getDouble(0, 2)).isEqualTo(0.0);
        assertThat(mask.getDouble(1, 1)).isEqualTo(0.0);
        // Two of the three previously absent connections regrow, at weight 0; the third keeps its weight.
        int[][] absentBefore = {{0, 1}, {1, 0}, {1, 2}};
        int regrown = 0;
        for (int[] c : absentBefore) {
            if (mask.getDouble(c[0], c[1]) == 1.0) {
                regrown++;
                assertThat(weight.getDouble(c[0], c[1])).as("regrown weight at %d,%d", c[0], c[1]).isEqualTo(0.0);
            } else {
                assertThat(weight.getDouble(c[0], c[1])).isEqualTo(WEIGHT.getDouble(c[0], c[1]));
            }
        }
        assertThat(regrown).isEqualTo(2);
        for (int[] c : new int[][] {{0, 0}, {0, 2}, {1, 1}}) {
            assertThat(weight.getDouble(c[0], c[1])).isEqualTo(WEIGHT.getDouble(c[0], c[1]));
        }
    }

    @Test
    void randomRewiringIsTheSameDecisionForTheSameSeedParametersAndIndex() {
        MultiLayerNetwork a = tinyLayer(Regrowth.RANDOM, 11);
        MultiLayerNetwork b = tinyLayer(Regrowth.RANDOM, 11);

        layer(a).rewire(3);
        layer(b).rewire(3);

        assertIdentical(param(b, PlasticDenseParameters.MASK), param(a, PlasticDenseParameters.MASK));
        assertIdentical(b.params(), a.params());
    }

    @Test
    void randomRewiringOfALargerLayerKeepsDensityAndPrunesTheSmallestEffectiveWeights() {
        // 10 x 8 = 80 connections at density 0.3: exactly round(24.0) = 24 present; zeta 0.25 prunes floor(6.0) = 6.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new PlasticDense.Builder().nIn(10).nOut(8).activation(Activation.TANH).weightInit(WeightInit.XAVIER)
                        .plasticity(PlasticitySettings.off().withStructural(StructuralSettings.on(0.3, 0.25, 1000, Regrowth.RANDOM)))
                        .structuralSeed(99).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        PlasticDenseLayer layer = (PlasticDenseLayer) net.getLayer(0);
        // Distinct magnitudes 0.01 .. 0.80 with random signs, so that "the 6 smallest" is unambiguous.
        Random random = new Random(5);
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < 80; k++) {
            order.add(k);
        }
        java.util.Collections.shuffle(order, random);
        double[][] w = new double[10][8];
        for (int k = 0; k < 80; k++) {
            w[k / 8][k % 8] = (order.get(k) + 1) * 0.01 * (random.nextBoolean() ? 1 : -1);
        }
        layer.setParam(PlasticDenseParameters.WEIGHT, matrix(w));
        INDArray maskBefore = layer.getParam(PlasticDenseParameters.MASK).dup();
        assertThat(maskBefore.sumNumber().doubleValue()).isEqualTo(24.0);

        List<int[]> present = new ArrayList<>();
        Set<Integer> absent = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 8; j++) {
                if (maskBefore.getDouble(i, j) == 1.0) {
                    present.add(new int[] {i, j});
                } else {
                    absent.add(i * 8 + j);
                }
            }
        }
        present.sort(Comparator.comparingDouble(c -> Math.abs(w[c[0]][c[1]])));
        Set<Integer> expectedPruned = new HashSet<>();
        for (int k = 0; k < 6; k++) {
            expectedPruned.add(present.get(k)[0] * 8 + present.get(k)[1]);
        }

        StructuralPlasticity.Rewiring r = layer.rewire(1);

        assertThat(r).isEqualTo(new StructuralPlasticity.Rewiring(6, 6));
        INDArray mask = layer.getParam(PlasticDenseParameters.MASK);
        INDArray weight = layer.getParam(PlasticDenseParameters.WEIGHT);
        assertThat(mask.sumNumber().doubleValue()).isEqualTo(24.0);
        Set<Integer> pruned = new HashSet<>();
        Set<Integer> regrown = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 8; j++) {
                double before = maskBefore.getDouble(i, j);
                double after = mask.getDouble(i, j);
                assertThat(after).isIn(0.0, 1.0);
                if (before == 1.0 && after == 0.0) {
                    pruned.add(i * 8 + j);
                } else if (before == 0.0 && after == 1.0) {
                    regrown.add(i * 8 + j);
                    assertThat(weight.getDouble(i, j)).isEqualTo(0.0);
                } else {
                    assertThat(weight.getDouble(i, j)).isEqualTo(w[i][j]);
                }
            }
        }
        assertThat(pruned).isEqualTo(expectedPruned);
        assertThat(regrown).hasSize(6);
        assertThat(absent).containsAll(regrown);
    }

    @Test
    void zetaZeroNeverChangesTheMask() {
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withStructural(StructuralSettings.on(0.5, 0.0, 1, Regrowth.RANDOM)));
        INDArray before = param(net, PlasticDenseParameters.MASK);

        assertThat(layer(net).rewire(1)).isEqualTo(new StructuralPlasticity.Rewiring(0, 0));
        assertIdentical(param(net, PlasticDenseParameters.MASK), before);
    }

    @Test
    void trainingRewiresOnceEveryRewireEverySteps() {
        // 6 connections at density 0.5: 3 present; zeta 0.4 prunes floor(1.2) = 1 per rewiring.
        MultiLayerNetwork net = TinyPlasticLayer.network(PlasticitySettings.off()
                .withStructural(StructuralSettings.on(0.5, 0.4, 3, Regrowth.RANDOM)));
        DataSet batch = new DataSet(TinyPlasticLayer.x(), Nd4j.zeros(DataType.DOUBLE, 2, 3));
        INDArray initialMask = param(net, PlasticDenseParameters.MASK);

        net.fit(batch);
        net.fit(batch);
        assertThat(layer(net).takeRewiringCounts()).isEqualTo(new StructuralPlasticity.Rewiring(0, 0));
        assertIdentical(param(net, PlasticDenseParameters.MASK), initialMask);
        for (int step = 3; step <= 7; step++) {
            net.fit(batch);
        }
        // Steps 3 and 6 rewired: one connection each.
        assertThat(layer(net).takeRewiringCounts()).isEqualTo(new StructuralPlasticity.Rewiring(2, 2));
        assertThat(layer(net).takeRewiringCounts()).isEqualTo(new StructuralPlasticity.Rewiring(0, 0));
        assertThat(param(net, PlasticDenseParameters.MASK).sumNumber().doubleValue()).isEqualTo(3.0);
    }

    @Test
    void movesTheSmallestKeysFirstInTheOrderAFullSortGives() {
        Random random = new Random(7);
        long[] shuffled = random.longs(10_000).distinct().toArray();
        long[] ascending = shuffled.clone();
        java.util.Arrays.sort(ascending);
        long[] descending = new long[ascending.length];
        for (int i = 0; i < ascending.length; i++) {
            descending[i] = ascending[ascending.length - 1 - i];
        }
        for (long[] input : List.of(shuffled, ascending, descending)) {
            for (int count : new int[] {1, 2, 100, 5_000, input.length - 1, input.length}) {
                long[] keys = input.clone();
                StructuralPlasticity.moveSmallestFirst(keys, count);
                assertThat(java.util.Arrays.copyOf(keys, count)).isEqualTo(java.util.Arrays.copyOf(ascending, count));
                long[] rest = java.util.Arrays.copyOfRange(keys, count, keys.length);
                java.util.Arrays.sort(rest);
                assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(ascending, count, ascending.length));
            }
        }
    }
}
