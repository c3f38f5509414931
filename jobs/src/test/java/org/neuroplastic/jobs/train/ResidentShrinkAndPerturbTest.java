package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.neuroplastic.model.network.ShrinkAndPerturb;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentShrinkAndPerturbTest {

    private static final DriverReplay EPOCH = new DriverReplay(2, 8, 3, 2);
    private static final ShrinkAndPerturb SHRINK_AND_PERTURB = new ShrinkAndPerturb(0.99, 0.01, 1);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /**
     * Each worker shrinks and perturbs after each of its steps with the noise of that global step, the same on
     * both workers: with SGD (no updater state) the averaged network is what the driver computes by replaying
     * each worker's round on a copy, shrinking and perturbing after every step, and averaging.
     */
    @Test
    void everyWorkerShrinksAndPerturbsAfterEachStepWithTheStepsNoise() {
        List<DataSet> data = EPOCH.minibatches(11);
        MultiLayerNetwork start = SmallNetworks.classifier(new Sgd(0.1));
        MultiLayerNetwork resident = trained(start.clone(), data, SHRINK_AND_PERTURB, "snp");

        MultiLayerNetwork replayed = EPOCH.replay(start, data, SHRINK_AND_PERTURB::afterStep, (averaged, from, to) -> {
        });

        DriverReplay.assertSameParameters(replayed, resident);
        float[] plain = trained(start.clone(), data, ShrinkAndPerturb.OFF, "plain").params().toFloatVector();
        assertThat(plain).isNotEqualTo(resident.params().toFloatVector());
    }

    private static MultiLayerNetwork trained(MultiLayerNetwork network, List<DataSet> data, ShrinkAndPerturb snp,
                                             String run) {
        return EPOCH.resident(SPARK, EPOCH.settings().withShrinkAndPerturb(snp), run, new WeightNormMetrics(), network,
                data).network();
    }
}
