package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.network.RegrownConnectionRestart;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;

/**
 * Plastic state (H, M, s, activity, theta) changes only in training forward passes and only by its rules:
 * never in inference, never through the updater, l1/l2, weight decay or gradient normalisation.
 */
class PlasticDenseStateTest {

    private static PlasticitySettings everyMechanism(double rate, double zeta, int rewireEvery) {
        return new PlasticitySettings(
                HebbianSettings.on(HebbianRule.OJA, rate, PlasticityCoefficient.FREE, 0.1),
                ScalingSettings.on(0.3, rate, 0.5, 2.0),
                StructuralSettings.on(0.7, zeta, rewireEvery, Regrowth.HEBBIAN),
                new AdaptationSettings(true, 0.3, rate, 1.0), rate, InferencePlasticity.off());
    }

    /** What acts on the gradient besides the updater (DL4J drops l2 when weight decay is also set, hence two kinds). */
    enum Regularization { NONE, L1_L2_AND_CLIPPING, WEIGHT_DECAY_AND_RENORMALIZATION }

    /** 5 -> 6 (tanh) -> 4 (sigmoid) plastic layers -> 2 identity MSE. */
    private static MultiLayerNetwork network(PlasticitySettings plasticity, IUpdater updater, Regularization regularization) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(updater);
        switch (regularization) {
            case NONE -> { }
            case L1_L2_AND_CLIPPING -> builder.l1(0.01).l2(0.5).l1Bias(0.01).l2Bias(0.5)
                    .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(0.5);
            case WEIGHT_DECAY_AND_RENORMALIZATION -> builder.weightDecay(0.5).weightDecayBias(0.5, true)
                    .gradientNormalization(GradientNormalization.RenormalizeL2PerLayer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(builder.list()
                .layer(new PlasticDense.Builder().nIn(5).nOut(6).activation(Activation.TANH).weightInit(WeightInit.XAVIER)
                        .plasticity(plasticity).structuralSeed(1).build())
                .layer(new PlasticDense.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER)
                        .plasticity(plasticity).structuralSeed(2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new DataSet(Nd4j.rand(DataType.DOUBLE, 8, 5).subi(0.5).muli(2), Nd4j.rand(DataType.DOUBLE, 8, 2));
    }

    /** Copies of the parameters of the plastic layers, keyed "layer_key", either the state or the learned ones. */
    private static Map<String, INDArray> params(MultiLayerNetwork net, boolean state) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        Layer[] layers = net.getLayers();
        for (int l = 0; l < layers.length; l++) {
            if (layers[l] instanceof PlasticDenseLayer) {
                for (Map.Entry<String, INDArray> e : layers[l].paramTable().entrySet()) {
                    if (PlasticDenseParameters.isState(e.getKey()) == state) {
                        copies.put(l + "_" + e.getKey(), e.getValue().dup());
                    }
                }
            }
        }
        return copies;
    }

    private static void assertEveryEntryChanged(Map<String, INDArray> after, Map<String, INDArray> before, String... keys) {
        for (String key : keys) {
            assertThat(values(after.get(key))).as("%s after the pass", key).isNotEqualTo(values(before.get(key)));
        }
    }

    @Test
    void inferenceLeavesEveryParameterUnchanged() {
        MultiLayerNetwork net = network(everyMechanism(0.2, 0.5, 1), new Adam(0.01), Regularization.L1_L2_AND_CLIPPING);
        DataSet data = batch(1);
        net.fit(data);
        INDArray before = net.params().dup();

        net.output(data.getFeatures());
        net.output(data.getFeatures(), false);
        net.score(data, false);
        net.feedForward(data.getFeatures(), false);
        net.feedForward(false);

        assertIdentical(net.params(), before);
    }

    @Test
    void trainingForwardPassesChangeTheStateButNotTheLearnedParameters() {
        MultiLayerNetwork net = network(everyMechanism(0.2, 0.5, 1000), new Adam(0.01), Regularization.L1_L2_AND_CLIPPING);
        DataSet data = batch(2);
        Map<String, INDArray> stateBefore = params(net, true);
        Map<String, INDArray> learnedBefore = params(net, false);

        net.feedForward(data.getFeatures(), true);

        Map<String, INDArray> stateAfter = params(net, true);
        assertEveryEntryChanged(stateAfter, stateBefore, "0_H", "0_s", "0_activity", "0_theta", "1_H", "1_s", "1_activity", "1_theta");
        // No rewiring before step 1000: the mask stays.
        assertIdentical(stateAfter.get("0_M"), stateBefore.get("0_M"));
        assertIdentical(params(net, false), learnedBefore);

        Map<String, INDArray> beforeScore = params(net, true);
        net.score(data, true);
        assertEveryEntryChanged(params(net, true), beforeScore, "0_H", "1_H", "0_activity", "1_activity");
        assertIdentical(params(net, false), learnedBefore);

        Map<String, INDArray> beforeFit = params(net, true);
        net.fit(data);
        assertEveryEntryChanged(params(net, true), beforeFit, "0_H", "1_H", "0_s", "1_s", "0_theta", "1_theta");
        assertEveryEntryChanged(params(net, false), learnedBefore, "0_W", "0_b", "0_alpha", "0_g", "1_W", "1_b", "1_alpha", "1_g");
    }

    @ParameterizedTest
    @EnumSource(value = Regularization.class, names = {"L1_L2_AND_CLIPPING", "WEIGHT_DECAY_AND_RENORMALIZATION"})
    void updaterRegularizationAndGradientNormalizationNeverTouchTheState(Regularization regularization) {
        // Every state rate zero and zeta zero: the rules leave the state exactly as it is, so any change would come
        // from the updater, l1/l2, weight decay or gradient clipping.
        MultiLayerNetwork net = network(everyMechanism(0, 0, 1), new Adam(0.05), regularization);
        Nd4j.getRandom().setSeed(9);
        for (Layer layer : net.getLayers()) {
            if (layer instanceof PlasticDenseLayer) {
                layer.setParam(PlasticDenseParameters.TRACE, Nd4j.rand(DataType.DOUBLE, layer.getParam(PlasticDenseParameters.TRACE).shape()).subi(0.5));
                layer.setParam(PlasticDenseParameters.SCALING, Nd4j.rand(DataType.DOUBLE, layer.getParam(PlasticDenseParameters.SCALING).shape()).addi(0.6));
                layer.setParam(PlasticDenseParameters.ACTIVITY, Nd4j.rand(DataType.DOUBLE, layer.getParam(PlasticDenseParameters.ACTIVITY).shape()));
                layer.setParam(PlasticDenseParameters.THRESHOLD, Nd4j.rand(DataType.DOUBLE, layer.getParam(PlasticDenseParameters.THRESHOLD).shape()).subi(0.5));
            }
        }
        Map<String, INDArray> stateBefore = params(net, true);
        Map<String, INDArray> learnedBefore = params(net, false);

        for (int step = 0; step < 50; step++) {
            net.fit(batch(step));
        }

        assertIdentical(params(net, true), stateBefore);
        assertEveryEntryChanged(params(net, false), learnedBefore, "0_W", "0_b", "0_alpha", "0_g", "1_W", "1_b", "1_alpha", "1_g");
    }

    @ParameterizedTest
    @EnumSource(value = Regularization.class, names = {"L1_L2_AND_CLIPPING", "WEIGHT_DECAY_AND_RENORMALIZATION"})
    void stateAfterAFitDependsOnlyOnTheForwardPassNotOnUpdaterOrRegularization(Regularization regularization) {
        MultiLayerNetwork regularized = network(everyMechanism(0.2, 0.5, 1), new Adam(0.1), regularization);
        MultiLayerNetwork plain = network(everyMechanism(0.2, 0.5, 1), new NoOp(), Regularization.NONE);
        plain.setParams(regularized.params().dup());
        DataSet data = batch(4);

        regularized.fit(data);
        plain.fit(data);

        // Both saw the same forward pass (and rewired at step 1 from the same parameters); only learned parameters differ.
        assertIdentical(params(regularized, true), params(plain, true));
        assertThat(values(regularized.params())).isNotEqualTo(values(plain.params()));
    }

    @Test
    void regrownConnectionsEnterTheirFirstForwardPassAtZeroWeightUnderAdam() {
        // Rewiring sets a regrown W to 0 inside the forward pass, but the same fit's updater step follows. A connection
        // that was present before (and pruned since) still has Adam moments, which must not move its fresh weight:
        // the listener NetworkFactory attaches restarts regrown connections after each update.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Adam(0.05)).list()
                .layer(new PlasticDense.Builder().nIn(10).nOut(8).activation(Activation.TANH).weightInit(WeightInit.XAVIER)
                        .plasticity(PlasticitySettings.off().withStructural(StructuralSettings.on(0.5, 0.3, 2, Regrowth.RANDOM)))
                        .structuralSeed(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(1)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build())
                .build());
        net.init();
        net.addListeners(new RegrownConnectionRestart());
        Layer layer = net.getLayer(0);
        Nd4j.getRandom().setSeed(1);
        int regrown = 0;
        int movedOffZero = 0;
        double largest = 0;

        for (int step = 1; step <= 40; step++) {
            INDArray maskBefore = layer.getParam(PlasticDenseParameters.MASK).dup();
            net.fit(new DataSet(Nd4j.randn(DataType.DOUBLE, 16, 10), Nd4j.randn(DataType.DOUBLE, 16, 1)));
            INDArray mask = layer.getParam(PlasticDenseParameters.MASK);
            INDArray weight = layer.getParam(PlasticDenseParameters.WEIGHT);
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 8; j++) {
                    if (maskBefore.getDouble(i, j) == 0 && mask.getDouble(i, j) == 1) {
                        regrown++;
                        if (weight.getDouble(i, j) != 0) {
                            movedOffZero++;
                            largest = Math.max(largest, Math.abs(weight.getDouble(i, j)));
                        }
                    }
                }
            }
        }

        // 20 rewirings of floor(0.3 * 40) = 12 connections each.
        assertThat(regrown).isEqualTo(240);
        assertThat(movedOffZero).as("regrown connections whose weight the updater moved off 0 (largest |W| %s)", largest)
                .isZero();
    }
}
