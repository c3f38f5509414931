package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Synaptic Intelligence (Zenke, Poole and Ganguli 2017) on a network of two parameters. */
class SynapticIntelligenceTest {

    private static final double LEARNING_RATE = 0.05;
    private static final double XI = 0.1;

    /** y = w x + b, MSE, plain SGD, double precision; flat parameters (w, b). */
    private static MultiLayerNetwork line(double w, double b) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Sgd(LEARNING_RATE)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(1).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.setParams(Nd4j.createFromArray(new double[][] {{w, b}}));
        return net;
    }

    /** The one example x = 2, y = 1. */
    private static DataSet example() {
        return new DataSet(Nd4j.createFromArray(new double[][] {{2}}), Nd4j.createFromArray(new double[][] {{1}}));
    }

    /**
     * The loss (w x + b - y)^2 at x = 2, y = 1 has gradient g = 2 r (x, 1) = (4r, 2r) with r = 2w + b - 1.
     * Three SGD steps of learning rate 0.05 from (w, b) = (0, 0), each adding -g . dtheta = 0.05 g^2:
     * <pre>
     *   step 1: r = -1,    g = (-4, -2),    dtheta = (0.2, 0.1),     omega += (0.8, 0.2)      -> theta = (0.2, 0.1)
     *   step 2: r = -0.5,  g = (-2, -1),    dtheta = (0.1, 0.05),    omega += (0.2, 0.05)     -> theta = (0.3, 0.15)
     *   step 3: r = -0.25, g = (-1, -0.5),  dtheta = (0.05, 0.025),  omega += (0.05, 0.0125) -> theta = (0.35, 0.175)
     * </pre>
     * omega = (1.05, 0.2625); the task moved the parameters by Delta = (0.35, 0.175), so with xi = 0.1 eq. 5 gives
     * Omega = (1.05 / (0.35^2 + 0.1), 0.2625 / (0.175^2 + 0.1)) = (1.05 / 0.2225, 0.2625 / 0.130625)
     * = (4.719101..., 2.009569...).
     */
    @Test
    void importanceOfTwoParametersMatchesTheHandComputation() {
        MultiLayerNetwork net = line(0, 0);
        SynapticIntelligence si = SynapticIntelligence.start(0.5, XI, net.params().toDoubleVector());
        PathIntegral integral = PathIntegral.attach(net);
        for (int step = 0; step < 3; step++) {
            net.fit(example());
        }

        assertThat(net.params().toDoubleVector()).containsExactly(new double[] {0.35, 0.175}, within(1e-12));
        float[] omega = integral.values(net);
        assertThat(omega[0]).isCloseTo(1.05f, within(1e-6f));
        assertThat(omega[1]).isCloseTo(0.2625f, within(1e-6f));

        si.addPathIntegral(omega);
        si.afterTask(net.params().toDoubleVector());

        assertThat(si.importance()).containsExactly(new double[] {1.05 / 0.2225, 0.2625 / 0.130625}, within(1e-6));
        assertThat(si.importance()[0]).isCloseTo(4.719101, within(1e-5));
        assertThat(si.importance()[1]).isCloseTo(2.009569, within(1e-5));
        assertThat(si.anchor()).containsExactly(new double[] {0.35, 0.175}, within(1e-12));
        assertThat(si.pathIntegral()).containsExactly(0.0, 0.0);
        assertThat(si.tasks()).isEqualTo(1);
    }

    /** Eq. 4: c sum_k Omega_k (theta_k - theta~_k)^2, whose gradient is 2 c Omega (theta - theta~). */
    @Test
    void penaltyGradientIsTwiceCTimesImportanceTimesDistance() {
        double c = 0.5;
        SynapticIntelligence si = SynapticIntelligence.start(c, XI, new double[] {0, 0});
        si.addPathIntegral(new float[] {1.05f, 0.2625f});
        si.afterTask(new double[] {0.35, 0.175});
        double[] omega = si.importance();
        double[] theta = {1.0, -1.0};

        double[] expected = {2 * c * omega[0] * (1.0 - 0.35), 2 * c * omega[1] * (-1.0 - 0.175)};
        assertThat(si.gradient(theta)).containsExactly(expected, within(1e-12));
        assertThat(si.penalty(theta)).isCloseTo(c * (omega[0] * 0.65 * 0.65 + omega[1] * 1.175 * 1.175), within(1e-12));

        ConsolidationPenalty penalty = si.trainingPenalty();
        INDArray parameters = Nd4j.createFromArray(new double[][] {theta});
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        penalty.addGradient(parameters, gradient, 1.0);
        assertThat(gradient.toDoubleVector()).containsExactly(expected, within(1e-5));
        assertThat(penalty.value(parameters)).isCloseTo(si.penalty(theta), within(1e-5));
    }

    /**
     * With the penalty attached the step is that of loss + penalty, but the path integral reads the loss's
     * gradient alone: one SGD step from theta0 gives omega = -g . dtheta with dtheta = -eta (g + 2c Omega (theta0 - theta~)).
     */
    @Test
    void pathIntegralUsesTheGradientWithoutThePenalty() {
        double c = 2;
        SynapticIntelligence si = SynapticIntelligence.start(c, XI, new double[] {0, 0});
        si.addPathIntegral(new float[] {1.05f, 0.2625f});
        si.afterTask(new double[] {0.35, 0.175});
        double[] omega = si.importance();
        MultiLayerNetwork net = line(0.1, 0.3);
        PenaltyListener.attach(net, si.trainingPenalty());
        PathIntegral integral = PathIntegral.attach(net);

        net.fit(example());

        double r = 2 * 0.1 + 0.3 - 1;
        double[] g = {4 * r, 2 * r};
        double[] step = {-LEARNING_RATE * (g[0] + 2 * c * omega[0] * (0.1 - 0.35)),
            -LEARNING_RATE * (g[1] + 2 * c * omega[1] * (0.3 - 0.175))};
        assertThat(net.params().toDoubleVector()).containsExactly(new double[] {0.1 + step[0], 0.3 + step[1]},
                within(1e-6));
        float[] measured = integral.values(net);
        assertThat((double) measured[0]).isCloseTo(-g[0] * step[0], within(1e-6));
        assertThat((double) measured[1]).isCloseTo(-g[1] * step[1], within(1e-6));
    }

    /** A negative path integral (the loss rose along the path) leaves the importance at 0, as the authors' code. */
    @Test
    void importanceNeverGoesBelowZero() {
        SynapticIntelligence si = SynapticIntelligence.start(1, XI, new double[] {0, 0});
        si.addPathIntegral(new float[] {-1, 1});
        si.afterTask(new double[] {1, 1});

        assertThat(si.importance()).containsExactly(0.0, 1 / 1.1);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> SynapticIntelligence.start(-1, XI, new double[] {0}))
                .hasMessage("c must be a finite number >= 0, found -1.0");
        assertThatThrownBy(() -> SynapticIntelligence.start(1, 0, new double[] {0}))
                .hasMessage("xi must be a finite number > 0, found 0.0");
        assertThatThrownBy(() -> SynapticIntelligence.start(1, XI, new double[] {0}).addPathIntegral(new float[2]))
                .hasMessage("expected 1 parameters, found 2");
    }
}
