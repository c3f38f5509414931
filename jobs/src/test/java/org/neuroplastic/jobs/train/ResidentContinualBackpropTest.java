package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.network.ContinualBackprop;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResidentContinualBackpropTest {

    private static final int WORKERS = 2;
    private static final int BATCH = 8;
    private static final int FREQUENCY = 3;
    private static final int ROUNDS = 3;
    /** Units mature after 2 steps; a fifth of the mature ones is owed each step, so the rounds replace some. */
    private static final ContinualBackpropSettings CBP = new ContinualBackpropSettings(0.2, 2, 0.9);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /**
     * The two workers train on different data, so their utilities differ; each round the driver replaces units
     * once, from the averaged utilities and ages, and both workers continue from that network. With SGD (no
     * updater state) that is exactly the driver replaying each worker's round on a copy (utilities updated
     * after every step), averaging, and replacing on the average.
     */
    @Test
    void everyWorkerContinuesFromTheUnitsReplacedOnTheAveragedNetwork() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * ROUNDS, BATCH, 23);
        MultiLayerNetwork start = NetworkFactory.build(new NetworkSpec(SmallNetworks.FEATURES,
                List.of(new LayerSpec(10, "relu", PlasticitySettings.off())),
                OutputSpec.classification(SmallNetworks.CLASSES),
                new UpdaterSpec(UpdaterSpec.Name.SGD, 0.1), 9, NetworkSpec.Variant.PLASTIC).withContinualBackprop(CBP),
                NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);

        MultiLayerNetwork replayed = start.clone();
        int replaced = 0;
        for (int round = 0; round < ROUNDS; round++) {
            INDArray sum = null;
            for (int worker = 0; worker < WORKERS; worker++) {
                MultiLayerNetwork copy = replayed.clone();
                for (int i = 0; i < FREQUENCY; i++) {
                    copy.fit(data.get((worker * ROUNDS + round) * FREQUENCY + i));
                    ContinualBackprop.updateUtilities(copy);
                }
                sum = sum == null ? copy.params().dup() : sum.addi(copy.params());
            }
            replayed.setParams(sum.divi(WORKERS));
            replaced += ContinualBackprop.replaceUnits(replayed, (long) round * FREQUENCY,
                    (long) (round + 1) * FREQUENCY);
        }
        assertThat(replaced).isPositive();

        StructuralRewiring rewiring = new StructuralRewiring();
        TrainingSettings settings = TrainingSettings.resident(WORKERS, BATCH, FREQUENCY, 1).withTrajectories(false);
        MultiLayerNetwork resident;
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings, new TrajectoryScope("cbp", null, 0),
                new WeightNormMetrics())) {
            master.addRoundListener(rewiring);
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), start.clone(), master);
            spark.fit(SPARK.context().parallelize(data, WORKERS));
            resident = spark.getNetwork();
        }

        assertThat(rewiring.unitsReplaced()).isEqualTo(replaced);
        float[] expected = replayed.params().toFloatVector();
        float[] actual = resident.params().toFloatVector();
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], within(1e-5f));
        }
        // Every worker replaced the same units: no age is an average of a reset and a kept unit.
        for (double age : resident.getLayer(0).getParam(PlasticDenseParameters.AGE).toDoubleVector()) {
            assertThat(age).isEqualTo(Math.rint(age));
        }
    }
}
