package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.network.ContinualBackprop;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentContinualBackpropTest {

    private static final DriverReplay EPOCH = new DriverReplay(2, 8, 3, 3);
    /** Units mature after 2 steps; a fifth of the mature ones is owed each step, so the rounds replace some. */
    private static final ContinualBackpropSettings CBP = new ContinualBackpropSettings(0.2, 2, 0.9);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /**
     * The two workers train on different data, so their utilities differ; each round the driver replaces units
     * once, from the averaged utilities and ages, and both workers continue from that network. With SGD (no
     * updater state) that is exactly the driver replaying each worker's round on a copy (utilities updated
     * after every step), averaging, and replacing on the average. The trajectory's {@code avg} row of each
     * round records the units that round replaced; workers never replace.
     */
    @Test
    void everyWorkerContinuesFromTheUnitsReplacedOnTheAveragedNetworkAndTheRowsRecordThem() {
        List<DataSet> data = EPOCH.minibatches(23);
        MultiLayerNetwork start = NetworkFactory.build(new NetworkSpec(SmallNetworks.FEATURES,
                List.of(new LayerSpec(10, "relu", PlasticitySettings.off())),
                OutputSpec.classification(SmallNetworks.CLASSES),
                new UpdaterSpec(UpdaterSpec.Name.SGD, 0.1), 9, NetworkSpec.Variant.PLASTIC).withContinualBackprop(CBP),
                NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);

        List<Long> replacedPerRound = new ArrayList<>();
        MultiLayerNetwork replayed = EPOCH.replay(start, data, (worker, step) -> ContinualBackprop.updateUtilities(worker),
                (averaged, from, to) -> replacedPerRound.add((long) ContinualBackprop.replaceUnits(averaged, from, to)));
        assertThat(replacedPerRound).hasSize(EPOCH.rounds());
        long replaced = replacedPerRound.stream().mapToLong(Long::longValue).sum();
        assertThat(replaced).isPositive();

        StructuralRewiring rewiring = new StructuralRewiring();
        DriverReplay.Resident resident = EPOCH.resident(SPARK, EPOCH.settings().withTrajectories(true), "cbp",
                new PlasticityLayerMetrics(), start.clone(), data, rewiring);

        assertThat(rewiring.unitsReplaced()).isEqualTo(replaced);
        DriverReplay.assertSameParameters(replayed, resident.network());
        // Every worker replaced the same units: no age is an average of a reset and a kept unit.
        for (double age : resident.network().getLayer(0).getParam(PlasticDenseParameters.AGE).toDoubleVector()) {
            assertThat(age).isEqualTo(Math.rint(age));
        }

        List<TrajectoryRecord> hidden = resident.rows().stream().filter(r -> r.layer() == 0).toList();
        assertThat(hidden.stream().filter(r -> r.worker().equals(TrajectoryRecord.AVERAGED))
                .sorted((a, b) -> Integer.compare(a.round(), b.round())).map(r -> r.metrics().unitsReplaced()))
                .containsExactlyElementsOf(replacedPerRound);
        assertThat(hidden.stream().filter(r -> !r.worker().equals(TrajectoryRecord.AVERAGED)))
                .hasSize(EPOCH.workers() * EPOCH.frequency() * EPOCH.rounds())
                .allSatisfy(r -> assertThat(r.metrics().unitsReplaced()).isZero());
        assertThat(resident.rows().stream().filter(r -> r.layer() == 1))
                .isNotEmpty().allSatisfy(r -> assertThat(r.metrics().unitsReplaced()).isNull());
    }
}
