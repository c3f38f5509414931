package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.model.network.NetworkFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which array of a plastic network holds a NaN or an infinity, named by layer, quantity and key; and what an averaging
 * round reports as its divergence.
 */
class NonFiniteStateTest {

    private static final String PLASTIC = """
            data: {format: synthetic, generator: regression, rows: 100}
            network:
              n_in: 10
              hidden:
                - size: 8
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: oja, eta: 0.05, alpha: free, alpha_init: 0.05}
                    adaptation: {enabled: true, target_activity: 0.5, threshold_rate: 0.001}
              output: {activation: identity, loss: mse}
            """;

    private static MultiLayerNetwork plasticNetwork() {
        TrainConfig config = TrainConfig.read(ConfigDocument.parse("plastic.yaml", PLASTIC, List.of()));
        return NetworkFactory.build(config.network().spec(10, Target.regression()), NetworkFactory.Rewiring.BY_TRAINER,
                DataType.FLOAT);
    }

    @Test
    void aFiniteNetworkHasNothingToName() {
        assertThat(NonFiniteState.first(plasticNetwork())).isEmpty();
    }

    @Test
    void aNanInTheHebbianTraceIsNamedWithItsLayer() {
        MultiLayerNetwork network = plasticNetwork();
        network.getLayer(0).getParam("H").putScalar(3, Float.NaN);
        assertThat(NonFiniteState.first(network)).contains("layer 0 hebbian trace H became NaN");
    }

    @Test
    void anInfinityInTheAdaptiveThresholdIsNamedWithItsLayer() {
        MultiLayerNetwork network = plasticNetwork();
        network.getLayer(0).getParam("theta").putScalar(1, Float.POSITIVE_INFINITY);
        assertThat(NonFiniteState.first(network)).contains("layer 0 adaptive threshold theta became infinite");
    }

    @Test
    void anInfinityInTheOutputBiasIsNamedWithItsLayer() {
        MultiLayerNetwork network = plasticNetwork();
        network.getLayer(1).getParam("b").putScalar(0, Float.NEGATIVE_INFINITY);
        assertThat(NonFiniteState.first(network)).contains("layer 1 bias b became infinite");
    }

    @Test
    void aRoundWhoseReducersCountedANonFiniteParameterDivergesNamingIt() {
        MultiLayerNetwork network = plasticNetwork();
        network.getLayer(0).getParam("W").putScalar(2, Float.NaN);
        WorkerRound worker = new WorkerRound(0, "e", 2, 16, 1.0, 5, -1, new double[0], Predictions.NONE);

        var diverged = TrainingDiverged.inRound(new RoundResult(0, 0, 1, 2, List.of(worker), new double[0], 1, 1), network);

        assertThat(diverged).isPresent();
        assertThat(diverged.get().getMessage()).startsWith("layer 0 weights W became NaN");
        assertThat(diverged.get().step()).isEqualTo(2);
    }

    @Test
    void aRoundWithFiniteParametersDivergesOnAWorkersNonFiniteLossAtItsStep() {
        WorkerRound finite = new WorkerRound(0, "e", 2, 16, 1.0, 5, -1, new double[0], Predictions.NONE);
        WorkerRound blownUp = new WorkerRound(1, "e", 2, 16, Double.NaN, 5, 1, new double[0], Predictions.NONE);

        var diverged = TrainingDiverged.inRound(new RoundResult(0, 0, 1, 2, List.of(finite, blownUp), new double[0], 1, 0),
                plasticNetwork());

        assertThat(diverged).isPresent();
        assertThat(diverged.get().getMessage()).startsWith("training loss of worker 1 became NaN");
        assertThat(diverged.get().step()).isEqualTo(1);
    }
}
