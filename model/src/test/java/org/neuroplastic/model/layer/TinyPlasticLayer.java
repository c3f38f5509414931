package org.neuroplastic.model.layer;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The layer of the hand-computed tests: one PlasticDense layer, 2 inputs x 3 outputs, double precision,
 * followed by a parameterless MSE loss layer. Its learned weight and bias start at {@link #W} and {@link #B}.
 *
 * <p>With every mechanism off, {@code y = x . W + b} for the two batches used by the tests is
 * <pre>
 *   x  = [[1, 2], [3, -1]]     ->  x.W + b  = [[2.6, 0, 0.8], [0.6, -3.5, 6.3]]
 *   x2 = [[0, 1], [-2, 0.5]]   ->  x2.W + b = [[1.1, 0.5, -0.7], [-0.4, 2.25, -4.45]]
 * </pre>
 * e.g. {@code y[0][0] = 1*0.5 + 2*1 + 0.1 = 2.6}, {@code y[1][1] = 3*(-1) + (-1)*0.5 + 0 = -3.5},
 * {@code x2.W[1][2] = -2*2 + 0.5*(-0.5) = -4.25}, minus 0.2 is -4.45.
 */
public final class TinyPlasticLayer {

    public static final double[][] W = {{0.5, -1, 2}, {1, 0.5, -0.5}};
    public static final double[] B = {0.1, 0, -0.2};

    private TinyPlasticLayer() {
    }

    /** The first batch, 2 examples x 2 inputs. */
    public static INDArray x() {
        return matrix(new double[] {1, 2}, new double[] {3, -1});
    }

    /** The second batch. */
    public static INDArray x2() {
        return matrix(new double[] {0, 1}, new double[] {-2, 0.5});
    }

    public static MultiLayerNetwork network(PlasticitySettings plasticity) {
        return network(plasticity, Activation.IDENTITY, 7L);
    }

    public static MultiLayerNetwork network(PlasticitySettings plasticity, Activation activation, long structuralSeed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(new PlasticDense.Builder().nIn(2).nOut(3).activation(activation)
                        .weightInit(WeightInit.XAVIER).plasticity(plasticity).structuralSeed(structuralSeed).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        layer(net).setParam(PlasticDenseParameters.WEIGHT, matrix(W));
        layer(net).setParam(PlasticDenseParameters.BIAS, row(B));
        return net;
    }

    /**
     * The hand case of the inference tests: 2 inputs x 2 outputs, identity activation, {@code W = [[1, 0], [0, 2]]},
     * b = 0, the state as {@code plasticity} initializes it.
     */
    public static MultiLayerNetwork twoByTwo(PlasticitySettings plasticity) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(new PlasticDense.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).plasticity(plasticity).structuralSeed(5).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        set(net, PlasticDenseParameters.WEIGHT, matrix(new double[] {1, 0}, new double[] {0, 2}));
        set(net, PlasticDenseParameters.BIAS, row(0, 0));
        return net;
    }

    public static PlasticDenseLayer layer(MultiLayerNetwork net) {
        return (PlasticDenseLayer) net.getLayer(0);
    }

    /** One training forward pass of the layer alone: computes the output and updates the state. */
    public static INDArray trainingPass(MultiLayerNetwork net, INDArray input) {
        return layer(net).activate(input, true, LayerWorkspaceMgr.noWorkspaces()).dup();
    }

    /** A copy of one parameter of the layer. */
    public static INDArray param(MultiLayerNetwork net, String key) {
        return layer(net).getParam(key).dup();
    }

    public static void set(MultiLayerNetwork net, String key, INDArray value) {
        layer(net).setParam(key, value);
    }

    /** Same shape and every element within {@code tolerance} of the expected one. */
    public static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.shape()).as("shape").containsExactly(expected.shape());
        double[] a = values(actual);
        double[] e = values(expected);
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("element %d of %s, expected %s", i, actual, expected).isCloseTo(e[i], within(tolerance));
        }
    }

    /** Same shape and bit-identical elements (INDArray.equals allows a difference of 1e-5). */
    public static void assertIdentical(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).as("shape").containsExactly(expected.shape());
        assertThat(values(actual)).containsExactly(values(expected));
    }

    /** Same keys and bit-identical arrays under each key. */
    public static void assertIdentical(Map<String, INDArray> actual, Map<String, INDArray> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String key : expected.keySet()) {
            assertThat(actual.get(key).shape()).as("shape of %s", key).containsExactly(expected.get(key).shape());
            assertThat(values(actual.get(key))).as("%s", key).containsExactly(values(expected.get(key)));
        }
    }

    /** The elements in row-major order, as doubles. */
    public static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    public static INDArray matrix(double[]... rows) {
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE);
    }

    public static INDArray row(double... values) {
        return Nd4j.createFromArray(new double[][] {values}).castTo(DataType.DOUBLE);
    }
}
