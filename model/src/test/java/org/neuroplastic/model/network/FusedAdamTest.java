package org.neuroplastic.model.network;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FusedAdamTest {

    @Test
    void firstStepMovesEachParameterByTheLearningRateInTheGradientsSign() {
        // Step 1 from m = v = 0 (Kingma and Ba 2015, section 2): m = 0.1 g, v = 0.001 g^2, step size
        // lr sqrt(1 - 0.999) / (1 - 0.9) = 0.01 * 0.0316228 / 0.1; update = m step / (sqrt(v) + 1e-8)
        // = 0.1 g * 0.00316228 / (0.0316228 |g| + 1e-8) = 0.01 sign(g), less 1e-8 / (0.0316228 |g|) of it.
        INDArray state = Nd4j.create(DataType.FLOAT, 1, 4);
        GradientUpdater<?> adam = new FusedAdam(0.01).instantiate(state, true);
        INDArray gradient = Nd4j.createFromArray(new float[] {0.5f, -2f}).reshape(1, 2);

        adam.applyUpdater(gradient, 0, 0);

        assertThat(gradient.toDoubleVector()).containsExactly(new double[] {0.01, -0.01}, within(1e-6));
        assertThat(state.toDoubleVector()).containsExactly(new double[] {0.05, -0.2, 0.00025, 0.004}, within(1e-7));
    }

    @Test
    void updatesAndStateMatchDeeplearning4jsAdamOverManySteps() {
        StepSchedule schedule = new StepSchedule(ScheduleType.ITERATION, 0.01, 0.5, 7);
        int n = 5000;
        INDArray fusedState = Nd4j.create(DataType.FLOAT, 1, 2 * n);
        INDArray stockState = Nd4j.create(DataType.FLOAT, 1, 2 * n);
        GradientUpdater<?> fused = new FusedAdam(schedule).instantiate(fusedState, true);
        GradientUpdater<?> stock = new Adam(schedule).instantiate(stockState, true);
        assertThat(stock).isInstanceOf(AdamUpdater.class);
        Nd4j.getRandom().setSeed(3);
        for (int iteration = 0; iteration < 20; iteration++) {
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, n).muli(iteration % 3 + 1);
            INDArray fusedUpdate = gradient.dup();
            INDArray stockUpdate = gradient.dup();
            fused.applyUpdater(fusedUpdate, iteration, 0);
            stock.applyUpdater(stockUpdate, iteration, 0);
            assertClose(fusedUpdate, stockUpdate, "update of iteration " + iteration);
        }
        assertClose(fusedState, stockState, "state [m | v]");
    }

    @Test
    void updatesABlockThatIsAViewIntoTheFlattenedArraysInPlace() {
        INDArray flatGradient = Nd4j.zeros(DataType.FLOAT, 1, 10);
        INDArray flatState = Nd4j.zeros(DataType.FLOAT, 1, 20);
        INDArray block = flatGradient.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(4, 6));
        INDArray blockState = flatState.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(8, 12));
        GradientUpdater<?> adam = new FusedAdam(0.01).instantiate(blockState, true);
        block.assign(Nd4j.createFromArray(new float[] {0.5f, -2f}).reshape(1, 2));

        adam.applyUpdater(block, 0, 0);

        assertThat(flatGradient.toDoubleVector()).containsExactly(
                new double[] {0, 0, 0, 0, 0.01, -0.01, 0, 0, 0, 0}, within(1e-6));
        assertThat(flatState.toDoubleVector()).containsExactly(new double[] {0, 0, 0, 0, 0, 0, 0, 0,
            0.05, -0.2, 0.00025, 0.004, 0, 0, 0, 0, 0, 0, 0, 0}, within(1e-7));
    }

    @Test
    void aGradientWithGapsBetweenItsElementsGoesToDeeplearning4jsUpdater() {
        // Row 0 of a column-major 2 x 3 matrix: its elements lie 2 apart, row 1's in between.
        INDArray matrix = Nd4j.create(DataType.FLOAT, new long[] {2, 3}, 'f');
        INDArray strided = matrix.getRow(0, true);
        strided.assign(Nd4j.createFromArray(new float[] {0.5f, -2f, 1f}).reshape(1, 3));
        GradientUpdater<?> adam = new FusedAdam(0.01).instantiate(Nd4j.create(DataType.FLOAT, 1, 6), true);

        adam.applyUpdater(strided, 0, 0);

        assertThat(strided.toDoubleVector()).containsExactly(new double[] {0.01, -0.01, 0.01}, within(1e-6));
        assertThat(matrix.getRow(1).toDoubleVector()).containsOnly(0.0);
    }

    @Test
    void doublePrecisionGoesToDeeplearning4jsUpdater() {
        GradientUpdater<?> adam = new FusedAdam(0.01).instantiate(Nd4j.create(DataType.DOUBLE, 1, 4), true);

        assertThat(adam).isInstanceOf(AdamUpdater.class);
    }

    @Test
    void networksTrainWithItAndKeepItThroughTheirJsonConfiguration() {
        NetworkSpec spec = new NetworkSpec(4, List.of(new LayerSpec(3, "relu", PlasticitySettings.off())),
                OutputSpec.classification(2), UpdaterSpec.adam(0.01), 1, NetworkSpec.Variant.PLASTIC);
        MultiLayerNetwork network = NetworkFactory.build(spec);

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(network.getLayerWiseConfigurations().toJson());

        for (var layer : List.of(network.getLayerWiseConfigurations(), restored)) {
            assertThat(((BaseLayer) layer.getConf(0).getLayer()).getIUpdater())
                    .isInstanceOf(FusedAdam.class)
                    .isEqualTo(new FusedAdam(0.01));
        }
    }

    private static void assertClose(INDArray actual, INDArray expected, String what) {
        double[] a = actual.toDoubleVector();
        double[] e = expected.toDoubleVector();
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("%s, element %d", what, i).isCloseTo(e[i], within(1e-6 * Math.max(1, Math.abs(e[i]))));
        }
    }
}
