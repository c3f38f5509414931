package org.neuroplastic.model.layer;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.network.PlasticNetwork;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** DL4J's gradient checker, double precision, on networks of PlasticDense layers with each mechanism's learned parameters. */
class PlasticDenseGradientTest {

    // ND4J's default data types are global to the JVM: the tests that run after this class in the same JVM
    // train in float32 as the jobs do, so the types in force before it are put back.
    private static DataType previousDefault;
    private static DataType previousFloatingPoint;

    @BeforeAll
    static void doublePrecision() {
        previousDefault = Nd4j.dataType();
        previousFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingPoint);
    }

    static Stream<Arguments> mechanisms() {
        PlasticitySettings off = PlasticitySettings.off();
        HebbianSettings free = HebbianSettings.on(HebbianRule.OJA, 0.1, PlasticityCoefficient.FREE, 0.3);
        HebbianSettings shared = HebbianSettings.on(HebbianRule.DECAY, 0.1, PlasticityCoefficient.SHARED, 0.3);
        HebbianSettings fixed = HebbianSettings.on(HebbianRule.DECAY, 0.1, PlasticityCoefficient.FIXED, 0.3);
        ScalingSettings scaling = ScalingSettings.on(0.3, 0.1, 0.5, 2.0);
        StructuralSettings structural = StructuralSettings.on(0.6, 0.2, 1, Regrowth.HEBBIAN);
        AdaptationSettings adaptation = new AdaptationSettings(true, 0.3, 0.05, 1.3);
        return Stream.of(
                Arguments.of("all off", off),
                Arguments.of("hebbian free alpha", off.withHebbian(free)),
                Arguments.of("hebbian shared alpha", off.withHebbian(shared)),
                Arguments.of("hebbian fixed alpha", off.withHebbian(fixed)),
                Arguments.of("scaling", off.withScaling(scaling)),
                Arguments.of("structural", off.withStructural(StructuralSettings.on(0.6, 0.2, 1, Regrowth.RANDOM))),
                Arguments.of("adaptation", off.withAdaptation(adaptation)),
                Arguments.of("all on", new PlasticitySettings(free, scaling, structural, adaptation, 0.1, InferencePlasticity.off())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mechanisms")
    void backpropMatchesNumericalGradientsOfLearnedParameters(String name, PlasticitySettings plasticity) {
        MultiLayerNetwork net = network(plasticity);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5).muli(2);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 5, 3);
        // Give the state non-trivial values first (trace, mask rewired, scaling, threshold), then freeze it:
        // the checker's perturbed forward passes must all see the same state.
        for (int i = 0; i < 3; i++) {
            net.fit(new DataSet(input, labels));
        }
        PlasticNetwork.setStateUpdates(net, false);

        Set<String> state = new HashSet<>();
        for (int layer = 0; layer < 2; layer++) {
            for (String key : net.getLayer(layer).paramTable().keySet()) {
                if (PlasticDenseParameters.isState(key)) {
                    state.add(layer + "_" + key);
                }
            }
        }
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(input).labels(labels)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .excludeParams(state));
        assertThat(ok).as("gradient check of %s", name).isTrue();
    }

    private static MultiLayerNetwork network(PlasticitySettings plasticity) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(new PlasticDense.Builder().nIn(4).nOut(5).activation(Activation.TANH)
                        .weightInit(WeightInit.XAVIER).plasticity(plasticity).structuralSeed(7).build())
                .layer(new PlasticDense.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID)
                        .weightInit(WeightInit.XAVIER).plasticity(plasticity).structuralSeed(8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(3)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
