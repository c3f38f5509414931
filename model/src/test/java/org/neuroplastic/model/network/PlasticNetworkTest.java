package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.StructuralPlasticity;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;

/** The trainer's rewiring of networks built with {@link NetworkFactory.Rewiring#BY_TRAINER}. */
class PlasticNetworkTest {

    private static final int REWIRE_EVERY = 5;

    private static NetworkSpec spec(Regrowth regrowth) {
        PlasticitySettings plasticity = NetworkFactoryTest.EVERY_MECHANISM
                .withStructural(StructuralSettings.on(0.25, 0.2, REWIRE_EVERY, regrowth));
        return NetworkFactoryTest.reference(plasticity, NetworkSpec.Variant.PLASTIC);
    }

    private static MultiLayerNetwork byTrainer(NetworkSpec spec) {
        return NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
    }

    private static void train(MultiLayerNetwork net, int steps, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (int step = 0; step < steps; step++) {
            net.fit(new DataSet(Nd4j.randn(DataType.FLOAT, 16, 10), Nd4j.randn(DataType.FLOAT, 16, 1)));
        }
    }

    private static List<INDArray> masks(MultiLayerNetwork net) {
        List<INDArray> masks = new ArrayList<>();
        for (PlasticDenseLayer layer : PlasticNetwork.plasticLayers(net)) {
            masks.add(layer.getParam(PlasticDenseParameters.MASK).dup());
        }
        return masks;
    }

    private static void assertBinaryAtDensity(INDArray mask) {
        assertThat(mask.mul(mask.rsub(1)).amaxNumber().doubleValue()).as("m (1 - m), zero for a binary mask").isEqualTo(0.0);
        assertThat(mask.sumNumber().doubleValue()).isEqualTo((double) StructuralPlasticity.activeCount(mask.length(), 0.25));
    }

    @ParameterizedTest
    @EnumSource(Regrowth.class)
    void networksWithIdenticalParametersTakeTheSameRewiringDecision(Regrowth regrowth) {
        MultiLayerNetwork a = byTrainer(spec(regrowth));
        train(a, REWIRE_EVERY, 1);
        MultiLayerNetwork b = byTrainer(spec(regrowth));
        b.setParams(a.params().dup());
        List<INDArray> before = masks(a);

        assertThat(PlasticNetwork.rewire(a, 0, REWIRE_EVERY)).isEqualTo(2);
        assertThat(PlasticNetwork.rewire(b, 0, REWIRE_EVERY)).isEqualTo(2);

        List<INDArray> after = masks(a);
        for (int l = 0; l < 2; l++) {
            assertThat(values(after.get(l))).as("layer %d rewired", l).isNotEqualTo(values(before.get(l)));
            assertIdentical(masks(b).get(l), after.get(l));
            assertBinaryAtDensity(after.get(l));
        }
        assertIdentical(b.params(), a.params());
    }

    @Test
    void averagedWorkersRewiredByTheDriverKeepABinaryMask() {
        // Two workers start from the same parameters and train on different data; averaging leaves the masks binary
        // because the workers never rewire, and the driver's rewiring of the average keeps them binary and at density.
        MultiLayerNetwork driver = byTrainer(spec(Regrowth.HEBBIAN));
        MultiLayerNetwork worker1 = byTrainer(spec(Regrowth.HEBBIAN));
        MultiLayerNetwork worker2 = byTrainer(spec(Regrowth.HEBBIAN));
        worker2.setParams(worker1.params().dup());
        train(worker1, 2 * REWIRE_EVERY, 1);
        train(worker2, 2 * REWIRE_EVERY, 2);
        assertThat(values(worker1.params())).isNotEqualTo(values(worker2.params()));

        driver.setParams(worker1.params().add(worker2.params()).divi(2));
        masks(driver).forEach(PlasticNetworkTest::assertBinaryAtDensity);
        assertThat(PlasticNetwork.rewire(driver, 0, 2 * REWIRE_EVERY)).isEqualTo(2);

        masks(driver).forEach(PlasticNetworkTest::assertBinaryAtDensity);
    }

    @Test
    void rewiresOnlyWhenARewireEveryBoundaryIsCrossed() {
        MultiLayerNetwork net = byTrainer(spec(Regrowth.HEBBIAN));
        train(net, 3, 1);
        List<INDArray> before = masks(net);

        assertThat(PlasticNetwork.rewire(net, 1, REWIRE_EVERY - 1)).isZero();
        assertThat(PlasticNetwork.rewire(net, REWIRE_EVERY, 2 * REWIRE_EVERY - 1)).isZero();
        for (int l = 0; l < 2; l++) {
            assertIdentical(masks(net).get(l), before.get(l));
        }
        // Crossing two boundaries in one round still rewires each layer once.
        assertThat(PlasticNetwork.rewire(net, REWIRE_EVERY - 1, 3 * REWIRE_EVERY)).isEqualTo(2);
        assertThat(PlasticNetwork.plasticLayers(net).get(0).takeRewiringCounts())
                .isEqualTo(new StructuralPlasticity.Rewiring(16, 16));
    }

    @Test
    void trainerRewiringClearsTheUpdaterHistoryOfRegrownConnectionsOnly() {
        MultiLayerNetwork net = byTrainer(spec(Regrowth.RANDOM));
        train(net, 3, 4);
        // Mark every updater slot (Adam's m and v) so that clearing shows, and what is left alone too.
        INDArray state = net.getUpdater().getStateViewArray();
        state.assign(1.0);
        INDArray maskBefore = masks(net).get(0);

        assertThat(PlasticNetwork.rewire(net, 0, REWIRE_EVERY)).isEqualTo(2);

        INDArray mask = masks(net).get(0);
        INDArray weight = PlasticNetwork.plasticLayers(net).get(0).getParam(PlasticDenseParameters.WEIGHT);
        long nIn = mask.size(0);
        long weights = mask.length();
        // Layer 0's W starts the flat parameters and its first updater block, for which Adam keeps [m | v].
        int regrown = 0;
        int kept = 0;
        for (int k = 0; k < weights; k++) {
            long i = k % nIn;
            long j = k / nIn;
            boolean isRegrown = maskBefore.getDouble(i, j) == 0 && mask.getDouble(i, j) == 1;
            double m = state.getDouble(0, k);
            double v = state.getDouble(0, blockLengthOfTrainable(net) + k);
            if (isRegrown) {
                regrown++;
                assertThat(weight.getDouble(i, j)).isEqualTo(0.0);
                assertThat(m).as("Adam m of regrown connection %s", k).isEqualTo(0.0);
                assertThat(v).as("Adam v of regrown connection %s", k).isEqualTo(0.0);
            } else {
                kept++;
                assertThat(m).isEqualTo(1.0);
                assertThat(v).isEqualTo(1.0);
            }
        }
        // zeta 0.2 of the present connections.
        assertThat(regrown).isEqualTo((int) Math.floor(0.2 * StructuralPlasticity.activeCount(weights, 0.25)));
        assertThat(kept).isEqualTo((int) weights - regrown);
    }

    /** Parameters in layer 0's first updater block: its learned parameters, which come before its state. */
    private static long blockLengthOfTrainable(MultiLayerNetwork net) {
        var blocks = ((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks();
        return blocks.get(0).getParamOffsetEnd() - blocks.get(0).getParamOffsetStart();
    }

    @Test
    void layersBuiltForTheTrainerNeverRewireWhileFitting() {
        MultiLayerNetwork net = byTrainer(spec(Regrowth.HEBBIAN));
        List<INDArray> before = masks(net);
        INDArray traceBefore = PlasticNetwork.plasticLayers(net).get(0).getParam(PlasticDenseParameters.TRACE).dup();

        train(net, 4 * REWIRE_EVERY, 3);

        for (int l = 0; l < 2; l++) {
            assertIdentical(masks(net).get(l), before.get(l));
            assertThat(PlasticNetwork.plasticLayers(net).get(l).takeRewiringCounts())
                    .isEqualTo(new StructuralPlasticity.Rewiring(0, 0));
        }
        assertThat(values(PlasticNetwork.plasticLayers(net).get(0).getParam(PlasticDenseParameters.TRACE)))
                .isNotEqualTo(values(traceBefore));
    }
}
