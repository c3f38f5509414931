package org.neuroplastic.model.network;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.neuroplastic.model.layer.PlasticDense;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;

public class NetworkFactoryTest {

    public static final PlasticitySettings EVERY_MECHANISM = new PlasticitySettings(
            HebbianSettings.on(HebbianRule.OJA, 0.01, PlasticityCoefficient.FREE, 0.01),
            ScalingSettings.on(0.5, 0.01, 0.5, 2.0),
            StructuralSettings.on(0.8, 0.1, 50, Regrowth.HEBBIAN),
            new AdaptationSettings(true, 0.5, 0.001, 1.0), 0.05, InferencePlasticity.off());

    /** The reference's network: 10 -> [32 relu, 16 relu] -> 1, regression. */
    public static NetworkSpec reference(PlasticitySettings plasticity, NetworkSpec.Variant variant) {
        return new NetworkSpec(10, List.of(new LayerSpec(32, "relu", plasticity), new LayerSpec(16, "relu", plasticity)),
                OutputSpec.regression(), UpdaterSpec.adam(0.01), 42, variant);
    }

    @Test
    void referenceNetworkIsExpressibleAsPlasticDenseLayersAndARegressionOutput() {
        MultiLayerNetwork net = NetworkFactory.build(reference(EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC));

        assertThat(net.getnLayers()).isEqualTo(3);
        PlasticDense first = (PlasticDense) net.getLayerWiseConfigurations().getConf(0).getLayer();
        PlasticDense second = (PlasticDense) net.getLayerWiseConfigurations().getConf(1).getLayer();
        OutputLayer output = (OutputLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        assertThat(new long[] {first.getNIn(), first.getNOut(), second.getNIn(), second.getNOut(), output.getNIn(), output.getNOut()})
                .containsExactly(10, 32, 32, 16, 16, 1);
        assertThat(first.getActivationFn()).isInstanceOf(ActivationReLU.class);
        assertThat(second.getActivationFn()).isInstanceOf(ActivationReLU.class);
        assertThat(first.plasticity()).isEqualTo(EVERY_MECHANISM);
        assertThat(second.plasticity()).isEqualTo(EVERY_MECHANISM);
        assertThat(first.getStructuralSeed()).isNotEqualTo(second.getStructuralSeed());
        assertThat(first.isRewiredByTrainer()).isFalse();
        assertThat(output.getActivationFn()).isInstanceOf(ActivationIdentity.class);
        assertThat(output.getLossFn()).isInstanceOf(LossMSE.class);
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void referenceNetworkLearnsALinearTarget() {
        MultiLayerNetwork net = NetworkFactory.build(reference(EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC));
        Nd4j.getRandom().setSeed(8);
        INDArray w = Nd4j.randn(DataType.FLOAT, 10, 1);
        DataSet test = linear(w, 256);
        double before = net.score(test, false);

        for (int step = 0; step < 200; step++) {
            net.fit(linear(w, 32));
        }

        double after = net.score(test, false);
        assertThat(after).as("test MSE after 200 steps (before: %s)", before).isLessThan(0.25 * before);
    }

    private static DataSet linear(INDArray w, int rows) {
        INDArray x = Nd4j.randn(DataType.FLOAT, rows, 10);
        return new DataSet(x, x.mmul(w).addi(0.5));
    }

    @Test
    void denseVariantHasDenseLayersOfTheSameSizesAndActivationsAndTheSameOutput() {
        NetworkSpec plasticSpec = reference(EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC);
        MultiLayerNetwork plastic = NetworkFactory.build(plasticSpec);
        MultiLayerNetwork dense = NetworkFactory.build(plasticSpec.withVariant(NetworkSpec.Variant.DENSE));

        assertThat(dense.getnLayers()).isEqualTo(plastic.getnLayers());
        for (int i = 0; i < 2; i++) {
            FeedForwardLayer d = (FeedForwardLayer) dense.getLayerWiseConfigurations().getConf(i).getLayer();
            FeedForwardLayer p = (FeedForwardLayer) plastic.getLayerWiseConfigurations().getConf(i).getLayer();
            assertThat(d).isExactlyInstanceOf(DenseLayer.class);
            assertThat(d.getNIn()).isEqualTo(p.getNIn());
            assertThat(d.getNOut()).isEqualTo(p.getNOut());
            assertThat(d.getActivationFn()).isEqualTo(p.getActivationFn());
            assertThat(d.getWeightInitFn()).isEqualTo(p.getWeightInitFn());
        }
        BaseOutputLayer d = (BaseOutputLayer) dense.getLayerWiseConfigurations().getConf(2).getLayer();
        BaseOutputLayer p = (BaseOutputLayer) plastic.getLayerWiseConfigurations().getConf(2).getLayer();
        assertThat(d).isEqualTo(p);
        // Same parameter count as the plastic network's learned W and b alone.
        assertThat(dense.numParams()).isEqualTo(10 * 32 + 32 + 32 * 16 + 16 + 16 + 1);
    }

    @Test
    void matchedDenseVariantHasDenseLayersOfTheMatchedWidthsAndTheSameActivationsDropoutAndOutput() {
        PlasticitySettings hebbian = PlasticitySettings.off().withHebbian(
                HebbianSettings.on(HebbianRule.OJA, 0.01, PlasticityCoefficient.FREE, 0.01));
        NetworkSpec plastic = new NetworkSpec(10, List.of(new LayerSpec(32, "relu", hebbian, 0.25),
                new LayerSpec(16, "tanh", hebbian, 0.5)), OutputSpec.regression(), UpdaterSpec.adam(0.01), 42,
                NetworkSpec.Variant.PLASTIC);
        MultiLayerNetwork dense = NetworkFactory.build(plastic.withVariant(NetworkSpec.Variant.DENSE));
        MultiLayerNetwork matched = NetworkFactory.build(plastic.withVariant(NetworkSpec.Variant.DENSE_MATCHED));

        // The widths [48, 24] of LearnedParametersTest.twoHiddenLayersAreWidenedByOneCommonFactor.
        long[][] shapes = {{10, 48}, {48, 24}, {24, 1}};
        for (int i = 0; i < 3; i++) {
            FeedForwardLayer m = (FeedForwardLayer) matched.getLayerWiseConfigurations().getConf(i).getLayer();
            FeedForwardLayer d = (FeedForwardLayer) dense.getLayerWiseConfigurations().getConf(i).getLayer();
            assertThat(m.getClass()).isEqualTo(d.getClass());
            assertThat(new long[] {m.getNIn(), m.getNOut()}).containsExactly(shapes[i]);
            assertThat(m.getActivationFn()).isEqualTo(d.getActivationFn());
            assertThat(m.getIDropout()).isEqualTo(d.getIDropout());
        }
        assertThat(matched.numParams()).isEqualTo(1729);
    }

    @Test
    void classificationSpecBuildsASoftmaxCrossEntropyOutput() {
        MultiLayerNetwork net = NetworkFactory.build(new NetworkSpec(4, List.of(new LayerSpec(5, "tanh", PlasticitySettings.off())),
                OutputSpec.classification(3), UpdaterSpec.adam(0.01), 1, NetworkSpec.Variant.PLASTIC));
        OutputLayer output = (OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();

        assertThat(output.getNOut()).isEqualTo(3);
        assertThat(output.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(output.getLossFn()).isInstanceOf(LossMCXENT.class);
    }

    @Test
    void rewiringByTrainerAndDataTypeReachTheLayers() {
        MultiLayerNetwork net = NetworkFactory.build(reference(EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC),
                NetworkFactory.Rewiring.BY_TRAINER, DataType.DOUBLE);

        assertThat(((PlasticDense) net.getLayerWiseConfigurations().getConf(0).getLayer()).isRewiredByTrainer()).isTrue();
        assertThat(((PlasticDense) net.getLayerWiseConfigurations().getConf(1).getLayer()).isRewiredByTrainer()).isTrue();
        assertThat(net.params().dataType()).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void sameSpecBuildsTheSameNetwork() {
        NetworkSpec spec = reference(EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC);

        assertIdentical(NetworkFactory.build(spec).params(), NetworkFactory.build(spec).params());
        assertThat(values(NetworkFactory.build(spec.withSeed(43)).params())).isNotEqualTo(values(NetworkFactory.build(spec).params()));
    }

    @Test
    void onlyTheFirstPlasticLayerSkipsItsInputGradientAndTrainingIsUnchangedByIt() {
        NetworkSpec spec = reference(EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC);
        MultiLayerNetwork skipping = NetworkFactory.build(spec);
        MultiLayerNetwork computing = NetworkFactory.build(spec);
        ((PlasticDense) computing.getLayerWiseConfigurations().getConf(0).getLayer()).setInputGradient(true);

        assertThat(((PlasticDense) skipping.getLayerWiseConfigurations().getConf(0).getLayer()).isInputGradient()).isFalse();
        assertThat(((PlasticDense) skipping.getLayerWiseConfigurations().getConf(1).getLayer()).isInputGradient()).isTrue();
        MultiLayerConfiguration saved = MultiLayerConfiguration.fromJson(skipping.getLayerWiseConfigurations().toJson());
        assertThat(((PlasticDense) saved.getConf(0).getLayer()).isInputGradient()).isFalse();
        Nd4j.getRandom().setSeed(3);
        for (int step = 0; step < 5; step++) {
            DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 10), Nd4j.rand(DataType.FLOAT, 8, 1));
            skipping.fit(batch);
            computing.fit(batch);
        }
        // The input's gradient feeds nothing in fit, so leaving it out must not move a single bit.
        assertIdentical(skipping.params(), computing.params());
        assertThat(skipping.calculateGradients(Nd4j.rand(DataType.FLOAT, 4, 10), Nd4j.rand(DataType.FLOAT, 4, 1),
                null, null).getSecond()).isNull();
    }
}
