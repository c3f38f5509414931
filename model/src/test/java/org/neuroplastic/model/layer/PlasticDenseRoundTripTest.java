package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralPlasticity;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neuroplastic.model.layer.TinyPlasticLayer.assertIdentical;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;

/**
 * A PlasticDense configuration survives DL4J's JSON, Java serialization (how Spark ships it) and clone(),
 * and a whole network survives ModelSerializer with every state array exact and keeps training.
 * Every plasticity field is set away from its default, so a field that a round trip resets shows.
 */
class PlasticDenseRoundTripTest {

    /** Every field away from the defaults of PlasticDense. */
    private static final PlasticitySettings FIRST = new PlasticitySettings(
            HebbianSettings.on(HebbianRule.DECAY, 0.07, PlasticityCoefficient.SHARED, 0.3),
            ScalingSettings.on(0.4, 0.02, 0.6, 1.7),
            StructuralSettings.on(0.8, 0.15, 7, Regrowth.RANDOM),
            new AdaptationSettings(true, 0.35, 0.003, 1.2), 0.03, InferencePlasticity.off());
    private static final PlasticitySettings SECOND = new PlasticitySettings(
            HebbianSettings.on(HebbianRule.OJA, 0.11, PlasticityCoefficient.FREE, -0.2),
            ScalingSettings.on(0.25, 0.05, 0.9, 1.1),
            StructuralSettings.on(0.55, 0.3, 3, Regrowth.HEBBIAN),
            new AdaptationSettings(true, 0.6, 0.02, 0.8), 0.2,
            new InferencePlasticity(true, InferencePlasticity.Reset.PER_BATCH));

    private static MultiLayerConfiguration configuration() {
        return new NeuralNetConfiguration.Builder()
                .seed(21).dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new PlasticDense.Builder().nIn(6).nOut(5).activation(Activation.TANH).weightInit(WeightInit.XAVIER)
                        .plasticity(FIRST).structuralSeed(1234).rewiredByTrainer(true).name("first").build())
                .layer(new PlasticDense.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).weightInit(WeightInit.RELU)
                        .plasticity(SECOND).structuralSeed(-77).rewiredByTrainer(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build())
                .build();
    }

    private static void assertSamePlasticLayers(MultiLayerConfiguration restored, MultiLayerConfiguration original) {
        assertThat(restored.getConfs()).hasSameSizeAs(original.getConfs());
        for (int i = 0; i < 2; i++) {
            PlasticDense a = (PlasticDense) restored.getConf(i).getLayer();
            PlasticDense e = (PlasticDense) original.getConf(i).getLayer();
            assertThat(a.plasticity()).as("layer %d plasticity", i).isEqualTo(e.plasticity());
            assertThat(a.getStructuralSeed()).as("layer %d structural seed", i).isEqualTo(e.getStructuralSeed());
            assertThat(a.isRewiredByTrainer()).as("layer %d rewired by trainer", i).isEqualTo(e.isRewiredByTrainer());
            assertThat(a.getNIn()).isEqualTo(e.getNIn());
            assertThat(a.getNOut()).isEqualTo(e.getNOut());
            assertThat(a.getActivationFn()).isEqualTo(e.getActivationFn());
            assertThat(a.getWeightInitFn()).isEqualTo(e.getWeightInitFn());
            assertThat(a.getLayerName()).isEqualTo(e.getLayerName());
            assertThat(a).isEqualTo(e);
        }
        assertThat(restored).isEqualTo(original);
    }

    @Test
    void jsonRoundTripKeepsEveryPlasticityField() {
        MultiLayerConfiguration original = configuration();
        String json = original.toJson();

        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);

        assertThat(((PlasticDense) restored.getConf(0).getLayer()).plasticity()).isEqualTo(FIRST);
        assertThat(((PlasticDense) restored.getConf(1).getLayer()).plasticity()).isEqualTo(SECOND);
        assertSamePlasticLayers(restored, original);
        assertThat(restored.toJson()).isEqualTo(json);
    }

    @Test
    void javaSerializationAndCloneKeepEveryPlasticityField() throws IOException, ClassNotFoundException {
        MultiLayerConfiguration original = configuration();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        MultiLayerConfiguration deserialized;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            deserialized = (MultiLayerConfiguration) in.readObject();
        }

        assertSamePlasticLayers(deserialized, original);
        assertSamePlasticLayers(original.clone(), original);
        PlasticDense layer = (PlasticDense) original.getConf(0).getLayer();
        assertThat(layer.clone().plasticity()).isEqualTo(FIRST);
        assertThat(layer.clone().getStructuralSeed()).isEqualTo(1234);
        assertThat(layer.clone().isRewiredByTrainer()).isTrue();
    }

    private static List<DataSet> batches(int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return IntStream.range(0, count)
                .mapToObj(i -> new DataSet(Nd4j.rand(DataType.FLOAT, 8, 6).subi(0.5f), Nd4j.rand(DataType.FLOAT, 8, 2)))
                .toList();
    }

    @Test
    void modelSerializerKeepsEveryStateArrayAndTheRestoredModelKeepsTraining() throws IOException {
        MultiLayerNetwork original = new MultiLayerNetwork(configuration());
        original.init();
        for (DataSet batch : batches(10, 1)) {
            original.fit(batch);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(original, bytes, true);

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);

        assertIdentical(restored.params(), original.params());
        for (int l = 0; l < 2; l++) {
            for (String key : original.getLayer(l).paramTable().keySet()) {
                assertIdentical(restored.getLayer(l).getParam(key), original.getLayer(l).getParam(key));
            }
        }
        assertIdentical(restored.getUpdater().getStateViewArray(), original.getUpdater().getStateViewArray());
        assertThat(restored.getIterationCount()).isEqualTo(original.getIterationCount());
        assertSamePlasticLayers(restored.getLayerWiseConfigurations(), original.getLayerWiseConfigurations());

        INDArray stateBefore = restored.getLayer(1).getParam(PlasticDenseParameters.TRACE).dup();
        for (DataSet batch : batches(6, 2)) {
            original.fit(batch);
            restored.fit(batch);
        }
        assertThat(values(restored.getLayer(1).getParam(PlasticDenseParameters.TRACE))).isNotEqualTo(values(stateBefore));
        // Layer 1 rewires every 3 steps, steps 12 and 15 among these six, pruning floor(0.3 * round(0.55 * 20)) = 3 each time.
        assertThat(((PlasticDenseLayer) restored.getLayer(1)).takeRewiringCounts())
                .isEqualTo(new StructuralPlasticity.Rewiring(6, 6));
        assertThat(restored.params().isNaN().any() || restored.params().isInfinite().any()).isFalse();
        // The restored network continues exactly as the original does.
        assertIdentical(restored.params(), original.params());
    }
}
