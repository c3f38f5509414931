package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.PlasticNetwork;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.AdaptationSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;
import org.neuroplastic.model.plasticity.Regrowth;
import org.neuroplastic.model.plasticity.ScalingSettings;
import org.neuroplastic.model.plasticity.StructuralSettings;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The resident master with the model's plastic layers and the driver's structural rewiring. */
class ResidentPlasticTrainingTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static MultiLayerNetwork plasticNetwork() {
        PlasticitySettings all = new PlasticitySettings(
                HebbianSettings.on(HebbianRule.OJA, 0.05, PlasticityCoefficient.FREE, 0.01),
                ScalingSettings.on(0.5, 0.01, 0.5, 2.0),
                StructuralSettings.on(0.5, 0.2, 2, Regrowth.HEBBIAN),
                AdaptationSettings.on(0.5, 0.001),
                0.05, InferencePlasticity.off());
        NetworkSpec spec = new NetworkSpec(SmallNetworks.FEATURES,
                List.of(new LayerSpec(10, "tanh", all), new LayerSpec(8, "relu", all)),
                OutputSpec.classification(SmallNetworks.CLASSES), UpdaterSpec.adam(0.01), 5,
                NetworkSpec.Variant.PLASTIC);
        return NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
    }

    @Test
    void masksStayBinaryAtTheConfiguredDensityAfterEveryRound() {
        TrainingSettings settings = TrainingSettings.resident(2, 8, 3, 2);
        MultiLayerNetwork network = plasticNetwork();
        List<String> violations = new ArrayList<>();
        StructuralRewiring rewiring = new StructuralRewiring();
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope("plastic", null, 0), new PlasticityLayerMetrics())) {
            master.addRoundListener(rewiring);
            master.addRoundListener((round, averaged) -> PlasticNetwork.plasticLayers(averaged).forEach(layer -> {
                float[] mask = layer.getParam(PlasticDenseParameters.MASK).dup().reshape(-1).toFloatVector();
                int present = 0;
                for (float m : mask) {
                    if (m != 0f && m != 1f) {
                        violations.add("round " + round.round() + ": mask value " + m);
                    }
                    present += m == 1f ? 1 : 0;
                }
                if (present * 2 != mask.length) {
                    violations.add("round " + round.round() + ": " + present + " of " + mask.length + " present");
                }
            }));
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), network, master);
            var rdd = SPARK.context().parallelize(SmallNetworks.minibatches(24, 8, 71), 2);
            spark.fit(rdd);
            spark.fit(rdd);
            List<TrajectoryRecord> rows = TrajectoryRows.take(master);

            assertThat(violations).isEmpty();
            assertThat(rewiring.layersRewired()).isPositive();
            List<TrajectoryRecord> averaged = rows.stream()
                    .filter(r -> r.worker().equals(TrajectoryRecord.AVERAGED) && r.layer() < 2).toList();
            assertThat(averaged).hasSize(2 * 4 * 2);
            assertThat(averaged).allSatisfy(r -> assertThat(r.metrics().maskDensity()).isEqualTo(0.5));
            assertThat(averaged).anySatisfy(r -> assertThat(r.metrics().pruned()).isPositive());
            assertThat(rows.stream().filter(r -> r.layer() < 2))
                    .allSatisfy(r -> assertThat(r.metrics().hebbianNorm()).isNotNull());
            assertThat(rows.get(rows.size() - 1).metrics().hebbianNorm()).isNull();
            double firstHebbian = rows.stream().filter(r -> r.layer() == 0).findFirst().orElseThrow().metrics().hebbianNorm();
            double lastHebbian = averaged.get(averaged.size() - 2).metrics().hebbianNorm();
            assertThat(lastHebbian).isGreaterThan(firstHebbian);
        }
    }
}
