package org.neuroplastic.model.network;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.layer.PlasticDense;

import java.util.List;

/** Builds DL4J networks from a {@link NetworkSpec}. */
public final class NetworkFactory {

    /** Who rewires the masks of structural plasticity. */
    public enum Rewiring {
        /** Each layer rewires itself every {@code rewire_every} training steps: single-JVM training. */
        BY_LAYER,
        /**
         * The trainer rewires the averaged network between averaging rounds (see
         * {@link PlasticNetwork#rewire}), so that every worker trains with the same binary mask.
         */
        BY_TRAINER
    }

    private NetworkFactory() {
    }

    /** An initialised float32 network whose layers rewire themselves. */
    public static MultiLayerNetwork build(NetworkSpec spec) {
        return build(spec, Rewiring.BY_LAYER, DataType.FLOAT);
    }

    public static MultiLayerNetwork build(NetworkSpec spec, Rewiring rewiring, DataType dataType) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(spec, rewiring, dataType));
        network.init();
        if (rewiring == Rewiring.BY_LAYER) {
            network.addListeners(new RegrownConnectionRestart());
        }
        return network;
    }

    /**
     * Weight decay is set on each layer, not on the network builder: in DL4J 1.0.0-M2 a network-wide
     * WeightDecay is copied into every layer and then appended again by LayerValidation, so it would be
     * applied twice per step. A layer's decay reaches its weight key only (W): biases, and PlasticDense's
     * alpha, g and plastic state, get no regularization.
     *
     * <p>A hidden layer's dropout is set on the layer after it: DL4J drops a layer's input, not its output,
     * and its {@code dropOut} argument is the probability of keeping a unit.
     *
     * <p>The first plastic layer computes no gradient with respect to the data
     * ({@link PlasticDense.Builder#inputGradient}): the networks built here train and predict, but do not
     * give their input's gradient to a caller that asks for it.
     */
    public static MultiLayerConfiguration configuration(NetworkSpec spec, Rewiring rewiring, DataType dataType) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(dataType)
                .updater(spec.updater().toDl4j())
                .list();
        List<LayerSpec> hidden = spec.builtHidden();
        int nIn = spec.nIn();
        double inputDropout = 0;
        for (int i = 0; i < hidden.size(); i++) {
            LayerSpec layer = hidden.get(i);
            Activation activation = Activations.of("hidden[" + i + "].activation", layer.activation());
            if (spec.variant() == NetworkSpec.Variant.PLASTIC) {
                layers.layer(dropping(inputDropout, new PlasticDense.Builder())
                        .nIn(nIn).nOut(layer.size())
                        .activation(activation)
                        .weightInit(weightInitFor(activation))
                        .plasticity(layer.plasticity())
                        .structuralSeed(layerSeed(spec.seed(), i))
                        .rewiredByTrainer(rewiring == Rewiring.BY_TRAINER)
                        .inputGradient(i > 0)
                        .continualBackprop(spec.continualBackprop())
                        .weightDecay(spec.weightDecay(), true)
                        .build());
            } else {
                layers.layer(dropping(inputDropout, new DenseLayer.Builder())
                        .nIn(nIn).nOut(layer.size())
                        .activation(activation)
                        .weightInit(weightInitFor(activation))
                        .weightDecay(spec.weightDecay(), true)
                        .build());
            }
            nIn = layer.size();
            inputDropout = layer.dropout();
        }
        OutputSpec output = spec.output();
        Activation outputActivation = Activations.of("output.activation", output.activation());
        OutputLayer.Builder outputLayer = output.heads() > 1
                ? new OutputLayer.Builder().lossFunction(new TaskHeadCrossEntropy(output.size() / output.heads()))
                : new OutputLayer.Builder(output.isClassification()
                        ? LossFunctions.LossFunction.MCXENT : LossFunctions.LossFunction.MSE);
        layers.layer(dropping(inputDropout, outputLayer)
                .nIn(nIn).nOut(output.size())
                .activation(outputActivation)
                .weightInit(WeightInit.XAVIER)
                .weightDecay(spec.weightDecay(), true)
                .build());
        return layers.build();
    }

    private static <B extends Layer.Builder<B>> B dropping(double dropout, B builder) {
        return dropout > 0 ? builder.dropOut(1 - dropout) : builder;
    }

    /** He initialisation for rectifiers (He et al. 2015), Glorot's otherwise (Glorot and Bengio 2010). */
    private static WeightInit weightInitFor(Activation activation) {
        return switch (activation) {
            case RELU, LEAKYRELU, RRELU, RELU6, ELU, SELU -> WeightInit.RELU;
            default -> WeightInit.XAVIER;
        };
    }

    /** Each layer's structural seed, distinct per layer and fixed by the network seed. */
    static long layerSeed(long seed, int layer) {
        return seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (layer + 1);
    }
}
