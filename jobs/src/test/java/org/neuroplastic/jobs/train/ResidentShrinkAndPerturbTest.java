package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.neuroplastic.model.network.ShrinkAndPerturb;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResidentShrinkAndPerturbTest {

    private static final int WORKERS = 2;
    private static final int BATCH = 8;
    private static final int FREQUENCY = 3;
    private static final int ROUNDS = 2;
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
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * ROUNDS, BATCH, 11);
        MultiLayerNetwork start = SmallNetworks.classifier(new Sgd(0.1));
        MultiLayerNetwork resident = trained(start.clone(), data, SHRINK_AND_PERTURB, "snp");

        MultiLayerNetwork replayed = start.clone();
        for (int round = 0; round < ROUNDS; round++) {
            INDArray sum = null;
            for (int worker = 0; worker < WORKERS; worker++) {
                MultiLayerNetwork copy = replayed.clone();
                for (int i = 0; i < FREQUENCY; i++) {
                    copy.fit(data.get((worker * ROUNDS + round) * FREQUENCY + i));
                    SHRINK_AND_PERTURB.afterStep(copy, (long) round * FREQUENCY + i + 1);
                }
                sum = sum == null ? copy.params().dup() : sum.addi(copy.params());
            }
            replayed.setParams(sum.divi(WORKERS));
        }

        float[] expected = replayed.params().toFloatVector();
        float[] actual = resident.params().toFloatVector();
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], within(1e-5f));
        }
        float[] plain = trained(start.clone(), data, ShrinkAndPerturb.OFF, "plain").params().toFloatVector();
        assertThat(plain).isNotEqualTo(actual);
    }

    private static MultiLayerNetwork trained(MultiLayerNetwork network, List<DataSet> data, ShrinkAndPerturb snp,
                                             String run) {
        TrainingSettings settings = TrainingSettings.resident(WORKERS, BATCH, FREQUENCY, 1)
                .withTrajectories(false).withShrinkAndPerturb(snp);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings, new TrajectoryScope(run, null, 0),
                new WeightNormMetrics())) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), network, master);
            spark.fit(SPARK.context().parallelize(data, WORKERS));
            return spark.getNetwork();
        }
    }
}
