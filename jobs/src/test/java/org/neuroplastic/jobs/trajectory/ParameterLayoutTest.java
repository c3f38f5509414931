package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParameterLayoutTest {

    /** 3 inputs -> 2 units -> 1 output: layer 0 holds [0, 8) (6 weights, 2 biases), layer 1 [8, 11). */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(2).nOut(1).build())
                .build());
        network.init();
        return network;
    }

    @Test
    void distancesArePerLayerEuclideanDistancesBetweenTheLayersSlices() {
        ParameterLayout layout = ParameterLayout.of(network());
        float[] from = new float[11];
        float[] to = new float[11];
        Arrays.fill(to, 0, 8, 0.5f);     // 8 values moved by 0.5: sqrt(8 * 0.25) = sqrt(2)
        to[8] = 3;                       // layer 1: (3, 4) from (0, 0): 5
        to[9] = -4;

        assertThat(layout.slices().get(0)).containsExactly(0, 8);
        assertThat(layout.slices().get(1)).containsExactly(8, 3);
        assertThat(layout.distances(from, to)).containsExactly(new double[] {Math.sqrt(2), 5}, within(1e-12));
        // An averaged state goes on with updater values past the parameters; they are not read.
        float[] state = Arrays.copyOf(to, 14);
        Arrays.fill(state, 11, 14, 100f);
        assertThat(layout.distances(from, state)).containsExactly(new double[] {Math.sqrt(2), 5}, within(1e-12));
    }

    /** 200 x 100 + 100 and 100 x 1 + 1 parameters: layer 0 crosses the buffers' first block boundary (16,384). */
    @Test
    void buffersReadBlockByBlockGiveTheArraysDistancesToTheLastBit() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(200).nOut(100).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(100).nOut(1).build())
                .build());
        network.init();
        ParameterLayout layout = ParameterLayout.of(network);
        SplittableRandom random = new SplittableRandom(5);
        float[] from = new float[(int) layout.parameters()];
        float[] to = new float[from.length];
        for (int i = 0; i < from.length; i++) {
            from[i] = (float) random.nextDouble(-1, 1);
            to[i] = (float) random.nextDouble(-1, 1);
        }

        assertThat(layout.parameters()).isEqualTo(200 * 100 + 100 + 100 + 1);
        assertThat(layout.distances(FloatBuffer.wrap(from), FloatBuffer.wrap(to)))
                .containsExactly(layout.distances(from, to));
    }
}
