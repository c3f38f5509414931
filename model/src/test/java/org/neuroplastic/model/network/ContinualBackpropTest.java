package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.layer.PlasticDense;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContinualBackpropTest {

    private static final long SEED = 5;

    /** 2 inputs, 3 relu units with continual backprop, 2 softmax outputs. */
    private static MultiLayerNetwork network(ContinualBackpropSettings cbp, NetworkFactory.Rewiring rewiring) {
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(3, "relu", PlasticitySettings.off())),
                OutputSpec.classification(2), UpdaterSpec.adam(0.01), SEED, NetworkSpec.Variant.PLASTIC)
                .withContinualBackprop(cbp);
        return NetworkFactory.build(spec, rewiring, DataType.FLOAT);
    }

    private static DataSet batch() {
        return new DataSet(Nd4j.create(new float[] {1, 2, -1, 0.5f, 0.3f, -2}, new long[] {3, 2}),
                Nd4j.create(new float[] {1, 0, 0, 1, 1, 0}, new long[] {3, 2}));
    }

    /** W's elements in column-major order, the order of the flat parameter vector. */
    private static float[] columnMajor(INDArray weights) {
        return Nd4j.toFlattened('f', weights).toFloatVector();
    }

    private static double[] state(MultiLayerNetwork network, String key) {
        return network.getLayer(0).getParam(key).toDoubleVector();
    }

    @Test
    void replacesTheOwedLeastUsefulMatureUnitsAndStartsThemAfresh() {
        MultiLayerNetwork network = network(new ContinualBackpropSettings(0.5, 1, 0.5), NetworkFactory.Rewiring.BY_TRAINER);
        network.fit(batch());
        Layer hidden = network.getLayer(0);
        Layer output = network.getLayer(1);
        hidden.getParam(PlasticDenseParameters.AGE).assign(Nd4j.create(new float[] {5, 5, 5}, new long[] {1, 3}));
        hidden.getParam(PlasticDenseParameters.UTILITY).assign(Nd4j.create(new float[] {0.3f, 0.1f, 0.2f}, new long[] {1, 3}));
        float[] weightsBefore = columnMajor(hidden.getParam("W"));
        float[] outputBefore = columnMajor(output.getParam("W"));
        float[] updaterBefore = network.getUpdater().getStateViewArray().toFloatVector();

        // One step, 3 mature units (age 5 > 1), rate 0.5: owed 1.5, so unit 1 (least utility) goes, 0.5 is carried.
        assertEquals(1, ContinualBackprop.replaceUnits(network, 0, 1));
        assertArrayEquals(new double[] {5, 0, 5}, state(network, PlasticDenseParameters.AGE));
        assertArrayEquals(new double[] {0.3, 0, 0.2}, state(network, PlasticDenseParameters.UTILITY), 1e-7);
        assertEquals(0, state(network, PlasticDenseParameters.FEATURE_MEAN)[1]);
        assertEquals(0.5, state(network, PlasticDenseParameters.REPLACEMENT_CARRY)[0], 1e-7);
        // W is 2 x 3 column-major: unit 1's incoming weights are elements 2 and 3, redrawn as He initialisation
        // (std sqrt(2 / 2) = 1) from the step's seed; the other columns are untouched.
        SplittableRandom draws = new SplittableRandom(StepSeed.of(NetworkFactory.layerSeed(SEED, 0), 1, 0));
        float[] weights = columnMajor(hidden.getParam("W"));
        assertEquals((float) draws.nextGaussian(), weights[2], 1e-6);
        assertEquals((float) draws.nextGaussian(), weights[3], 1e-6);
        assertEquals(weightsBefore[0], weights[0]);
        assertEquals(weightsBefore[5], weights[5]);
        assertEquals(0, hidden.getParam("b").getDouble(1));
        // Output W is 3 x 2 column-major: unit 1's outgoing weights are elements 1 and 4, now 0.
        float[] outgoing = columnMajor(output.getParam("W"));
        assertEquals(0, outgoing[1]);
        assertEquals(0, outgoing[4]);
        assertEquals(outputBefore[0], outgoing[0]);
        // Adam's m and v of those weights and of the bias are cleared: hidden W element 2 is flat position 2.
        float[] updater = network.getUpdater().getStateViewArray().toFloatVector();
        assertNotEquals(0, updaterBefore[2]);
        assertEquals(0, updater[2]);
        assertEquals(updaterBefore[0], updater[0]);

        // Two more steps: units 0 and 2 were mature in both (4 unit-steps), owed 0.5 + 0.5 * 4 = 2.5: both go.
        assertEquals(2, ContinualBackprop.replaceUnits(network, 1, 3));
        assertArrayEquals(new double[] {0, 0, 0}, state(network, PlasticDenseParameters.AGE));
        assertEquals(0.5, state(network, PlasticDenseParameters.REPLACEMENT_CARRY)[0], 1e-7);
    }

    @Test
    void aLayerThatRewiresItselfReplacesAfterEachStepAndTheNextReadingCountsTheUnits() {
        // Rate 1: every mature unit is replaced at once. Step 1 ages the units to 1 (not > 1); step 2 to 2, and
        // all three go: ages 0, outgoing weights 0, so the network predicts from the output bias alone.
        MultiLayerNetwork network = network(new ContinualBackpropSettings(1, 1, 0.99), NetworkFactory.Rewiring.BY_LAYER);
        network.fit(batch());
        ContinualBackprop.afterStep(network, 1);
        assertArrayEquals(new double[] {1, 1, 1}, state(network, PlasticDenseParameters.AGE));
        assertEquals(0, PlasticityMetrics.read(network).get(0).unitsReplaced());
        network.fit(batch());
        ContinualBackprop.afterStep(network, 2);
        assertArrayEquals(new double[] {0, 0, 0}, state(network, PlasticDenseParameters.AGE));
        assertArrayEquals(new float[6], columnMajor(network.getLayer(1).getParam("W")));
        List<LayerPlasticity> reading = PlasticityMetrics.read(network);
        assertEquals(3, reading.get(0).unitsReplaced());
        assertEquals(0, reading.get(1).unitsReplaced(), "the output layer has no continual backprop");
        assertEquals(0, PlasticityMetrics.read(network).get(0).unitsReplaced(), "a reading resets the count");
    }

    @Test
    void utilitiesAreUpdatedAfterEachStepFromTheForwardPassAndTheNewWeights() {
        MultiLayerNetwork network = network(new ContinualBackpropSettings(1e-4, 100, 0.5), NetworkFactory.Rewiring.BY_TRAINER);
        network.fit(batch());
        ContinualBackprop.updateUtilities(network);
        double[] deviation = state(network, PlasticDenseParameters.DEVIATION);
        double[] in = new double[3];
        double[] out = new double[3];
        float[] w = columnMajor(network.getLayer(0).getParam("W"));
        float[] w2 = columnMajor(network.getLayer(1).getParam("W"));
        for (int i = 0; i < 3; i++) {
            in[i] = (Math.abs(w[2 * i]) + Math.abs(w[2 * i + 1])) / 2;
            out[i] = (Math.abs(w2[i]) + Math.abs(w2[3 + i])) / 2;
        }
        double[] utility = state(network, PlasticDenseParameters.UTILITY);
        for (int i = 0; i < 3; i++) {
            assertEquals(0.5 * deviation[i] * out[i] / in[i], utility[i], 1e-6);
        }
        assertArrayEquals(new double[] {1, 1, 1}, state(network, PlasticDenseParameters.AGE));
    }

    @Test
    void theSettingsSurviveTheConfigurationsJsonAsWorkersReceiveIt() {
        ContinualBackpropSettings cbp = new ContinualBackpropSettings(0.25, 7, 0.9);
        String json = network(cbp, NetworkFactory.Rewiring.BY_TRAINER).getLayerWiseConfigurations().toJson();
        PlasticDense restored = (PlasticDense) MultiLayerConfiguration.fromJson(json).getConf(0).getLayer();
        assertEquals(cbp, restored.continualBackprop());
    }

    @Test
    void theDenseVariantHasNoStateForIt() {
        assertEquals("network.continual_backprop needs network.variant plastic (its layers keep the units' utilities "
                + "and ages), found dense", assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(2,
                List.of(), OutputSpec.classification(2), UpdaterSpec.adam(0.01), SEED, NetworkSpec.Variant.DENSE)
                .withContinualBackprop(new ContinualBackpropSettings(1e-4, 100, 0.99))).getMessage());
    }
}
