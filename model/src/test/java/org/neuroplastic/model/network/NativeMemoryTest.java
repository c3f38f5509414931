package org.neuroplastic.model.network;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.HebbianSettings;
import org.neuroplastic.model.plasticity.PlasticityCoefficient;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeMemoryTest {

    private static MultiLayerNetwork trained() {
        PlasticitySettings plasticity = PlasticitySettings.off()
                .withHebbian(HebbianSettings.on(HebbianRule.OJA, 0.01, PlasticityCoefficient.FREE, 0.01));
        NetworkSpec spec = new NetworkSpec(4, List.of(new LayerSpec(8, "relu", plasticity)), OutputSpec.classification(3),
                UpdaterSpec.adam(0.01), 7, NetworkSpec.Variant.PLASTIC);
        MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        network.fit(Nd4j.rand(DataType.FLOAT, 5, 4), Nd4j.eye(3).getRows(0, 1, 2, 0, 1).castTo(DataType.FLOAT));
        return network;
    }

    /**
     * Full collections: System.gc() is one, counted by the old-generation bean ("G1 Old Generation" under G1, the
     * collector of a machine with two cores or more; "MarkSweepCompact" or "PS MarkSweep" under the serial and
     * parallel collectors); young collections, which any allocation may start, are not counted.
     */
    private static long fullCollections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(bean -> bean.getName().contains("Old") || bean.getName().contains("MarkSweep"))
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void releaseClosesParametersGradientsAndUpdaterStateWithoutTheFullCollectionCloseRuns() {
        MultiLayerNetwork released = trained();
        MultiLayerNetwork closed = trained();

        long before = fullCollections();
        NativeMemory.release(released);
        long afterRelease = fullCollections();
        closed.close();
        long afterClose = fullCollections();

        assertThat(released.params().wasClosed()).isTrue();
        assertThat(released.getGradientsViewArray().wasClosed()).isTrue();
        assertThat(released.getUpdater(false).getStateViewArray().wasClosed()).isTrue();
        assertThat(afterRelease).as("full collections during release").isEqualTo(before);
        // What the test guards against: DL4J's close() ends with System.gc().
        assertThat(afterClose).as("full collections during close()").isGreaterThan(afterRelease);
    }
}
