package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.layer.TinyPlasticLayer;
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
import static org.assertj.core.api.Assertions.within;
import static org.neuroplastic.model.layer.TinyPlasticLayer.matrix;
import static org.neuroplastic.model.layer.TinyPlasticLayer.row;
import static org.neuroplastic.model.layer.TinyPlasticLayer.set;

class PlasticityMetricsTest {

    private static final double EPS = 1e-9;

    private static NetworkSpec spec(PlasticitySettings plasticity, NetworkSpec.Variant variant) {
        return NetworkFactoryTest.reference(plasticity, variant);
    }

    private static void train(MultiLayerNetwork net, int steps) {
        Nd4j.getRandom().setSeed(4);
        for (int step = 0; step < steps; step++) {
            net.fit(new DataSet(Nd4j.randn(DataType.FLOAT, 16, 10), Nd4j.randn(DataType.FLOAT, 16, 1)));
        }
    }

    @Test
    void readingsAreTheStatisticsOfTheLayersStateWorkedOutByHand() {
        MultiLayerNetwork net = TinyPlasticLayer.network(new PlasticitySettings(
                HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.FREE, 0.1),
                ScalingSettings.on(0.5, 0.1, 0.5, 2.0),
                StructuralSettings.on(0.66, 0.2, 1000, Regrowth.HEBBIAN),
                new AdaptationSettings(true, 0.5, 0.1, 1.0), 0.1, InferencePlasticity.off()));
        set(net, PlasticDenseParameters.TRACE, matrix(new double[] {1, -2, 0}, new double[] {0, 2, -4}));
        set(net, PlasticDenseParameters.ALPHA, matrix(new double[] {0.5, -1, 2}, new double[] {0, 0.5, -1}));
        set(net, PlasticDenseParameters.MASK, matrix(new double[] {1, 0, 1}, new double[] {1, 1, 0}));
        set(net, PlasticDenseParameters.SCALING, row(2, 0.5, 1.5));
        set(net, PlasticDenseParameters.ACTIVITY, row(1, 2, 3));
        set(net, PlasticDenseParameters.THRESHOLD, row(0.1, -0.5, 0.3));

        List<LayerPlasticity> readings = PlasticityMetrics.read(net);

        assertThat(readings).hasSize(1);
        LayerPlasticity r = readings.get(0);
        assertThat(r.layer()).isZero();
        assertThat(r.plastic()).isTrue();
        assertThat(r.hebbianNorm()).isCloseTo(Math.sqrt(1 + 4 + 0 + 0 + 4 + 16), within(EPS));
        assertThat(r.alphaMeanAbs()).isCloseTo((0.5 + 1 + 2 + 0 + 0.5 + 1) / 6, within(EPS));
        assertThat(r.maskDensity()).isCloseTo(4.0 / 6, within(EPS));
        assertThat(r.scalingMean()).isCloseTo((2 + 0.5 + 1.5) / 3, within(EPS));
        assertThat(r.scalingMin()).isEqualTo(0.5);
        assertThat(r.scalingMax()).isEqualTo(2.0);
        // Population standard deviation of [1, 2, 3]: sqrt(((1-2)^2 + 0 + (3-2)^2) / 3)
        assertThat(r.activityMean()).isCloseTo(2, within(EPS));
        assertThat(r.activityStd()).isCloseTo(Math.sqrt(2.0 / 3), within(EPS));
        assertThat(r.thresholdMean()).isCloseTo((0.1 - 0.5 + 0.3) / 3, within(EPS));
        // W = [[0.5, -1, 2], [1, 0.5, -0.5]]
        assertThat(r.weightNorm()).isCloseTo(Math.sqrt(0.25 + 1 + 4 + 1 + 0.25 + 0.25), within(EPS));
        assertThat(r.pruned()).isZero();
        assertThat(r.regrown()).isZero();
    }

    @Test
    void hebbianNormIsZeroAtStartAndPositiveAfterTraining() {
        MultiLayerNetwork net = NetworkFactory.build(spec(NetworkFactoryTest.EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC));

        List<LayerPlasticity> start = PlasticityMetrics.read(net);
        train(net, 5);
        List<LayerPlasticity> trained = PlasticityMetrics.read(net);

        assertThat(start).hasSize(3);
        assertThat(start.get(0).hebbianNorm()).isZero();
        assertThat(start.get(1).hebbianNorm()).isZero();
        assertThat(trained.get(0).hebbianNorm()).isPositive();
        assertThat(trained.get(1).hebbianNorm()).isPositive();
        assertThat(trained.get(0).alphaMeanAbs()).isCloseTo(0.01, within(0.01));
    }

    @Test
    void maskDensityIsTheConfiguredOneAndStaysThereThroughRewiring() {
        PlasticitySettings quarter = NetworkFactoryTest.EVERY_MECHANISM
                .withStructural(StructuralSettings.on(0.25, 0.2, 5, Regrowth.HEBBIAN));
        MultiLayerNetwork net = NetworkFactory.build(spec(quarter, NetworkSpec.Variant.PLASTIC));

        // 10 x 32 = 320 -> 80 present; 32 x 16 = 512 -> 128 present: both exactly 0.25.
        assertThat(PlasticityMetrics.read(net).get(0).maskDensity()).isEqualTo(0.25);
        assertThat(PlasticityMetrics.read(net).get(1).maskDensity()).isEqualTo(0.25);
        train(net, 20);
        assertThat(PlasticityMetrics.read(net).get(0).maskDensity()).isEqualTo(0.25);
        assertThat(PlasticityMetrics.read(net).get(1).maskDensity()).isEqualTo(0.25);
    }

    @Test
    void prunedAndRegrownCountSinceTheLastReading() {
        PlasticitySettings quarter = NetworkFactoryTest.EVERY_MECHANISM
                .withStructural(StructuralSettings.on(0.25, 0.2, 5, Regrowth.HEBBIAN));
        MultiLayerNetwork net = NetworkFactory.build(spec(quarter, NetworkSpec.Variant.PLASTIC));

        train(net, 20);
        List<LayerPlasticity> first = PlasticityMetrics.read(net);
        List<LayerPlasticity> second = PlasticityMetrics.read(net);

        // Four rewirings (steps 5, 10, 15, 20) of floor(0.2 * 80) = 16 and floor(0.2 * 128) = 25 connections.
        assertThat(first.get(0).pruned()).isEqualTo(4 * 16);
        assertThat(first.get(0).regrown()).isEqualTo(4 * 16);
        assertThat(first.get(1).pruned()).isEqualTo(4 * 25);
        assertThat(first.get(1).regrown()).isEqualTo(4 * 25);
        assertThat(second.get(0).pruned()).isZero();
        assertThat(second.get(0).regrown()).isZero();
        assertThat(second.get(1).pruned()).isZero();
        assertThat(second.get(1).regrown()).isZero();
    }

    @Test
    void denseBaselineReadsNeutralValues() {
        MultiLayerNetwork net = NetworkFactory.build(spec(NetworkFactoryTest.EVERY_MECHANISM, NetworkSpec.Variant.DENSE));
        train(net, 3);

        List<LayerPlasticity> readings = PlasticityMetrics.read(net);

        assertThat(readings).hasSize(3);
        for (LayerPlasticity r : readings) {
            assertNeutral(r, false);
            // Against ND4J's norm of the weights in float64: the reading accumulates in double.
            double norm = net.getLayer(r.layer()).getParam("W").castTo(DataType.DOUBLE).norm2Number().doubleValue();
            assertThat(r.weightNorm()).isCloseTo(norm, within(1e-12 * norm));
        }
    }

    @Test
    void plasticLayerWithEveryMechanismOffReadsNeutralValues() {
        MultiLayerNetwork net = NetworkFactory.build(spec(PlasticitySettings.off(), NetworkSpec.Variant.PLASTIC));
        train(net, 3);

        List<LayerPlasticity> readings = PlasticityMetrics.read(net);

        assertNeutral(readings.get(0), true);
        assertNeutral(readings.get(1), true);
        assertNeutral(readings.get(2), false);
    }

    private static void assertNeutral(LayerPlasticity r, boolean plastic) {
        assertThat(r.plastic()).isEqualTo(plastic);
        assertThat(r.hebbianNorm()).isZero();
        assertThat(r.alphaMeanAbs()).isZero();
        assertThat(r.maskDensity()).isEqualTo(1.0);
        assertThat(r.pruned()).isZero();
        assertThat(r.regrown()).isZero();
        assertThat(r.scalingMean()).isEqualTo(1.0);
        assertThat(r.scalingMin()).isEqualTo(1.0);
        assertThat(r.scalingMax()).isEqualTo(1.0);
        assertThat(r.activityMean()).isNaN();
        assertThat(r.activityStd()).isNaN();
        assertThat(r.thresholdMean()).isZero();
        assertThat(r.weightNorm()).isPositive();
    }
}
