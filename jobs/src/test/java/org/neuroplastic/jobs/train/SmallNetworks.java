package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small classifier and synthetic data for the training-master tests. */
public final class SmallNetworks {

    static final int FEATURES = 6;
    static final int CLASSES = 3;

    private SmallNetworks() {
    }

    static MultiLayerNetwork classifier(IUpdater updater) {
        return classifier(updater, 10);
    }

    static MultiLayerNetwork classifier(IUpdater updater, int hidden) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    public static MultiLayerNetwork classifier() {
        return classifier(new Adam(0.01));
    }

    /** {@code count} minibatches of {@code size} examples whose label depends on the features. */
    static List<DataSet> minibatches(int count, int size, long seed) {
        Random random = new Random(seed);
        List<DataSet> batches = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            batches.add(minibatch(size, random));
        }
        return batches;
    }

    static DataSet minibatch(int size, Random random) {
        float[][] x = new float[size][FEATURES];
        float[][] y = new float[size][CLASSES];
        for (int i = 0; i < size; i++) {
            double sum = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[i][j] = (float) random.nextGaussian();
                sum += x[i][j] * (j + 1);
            }
            y[i][sum < -2 ? 0 : sum < 2 ? 1 : 2] = 1f;
        }
        INDArray features = Nd4j.createFromArray(x);
        INDArray labels = Nd4j.createFromArray(y);
        return new DataSet(features, labels);
    }
}
