package org.neuroplastic.model.diagnostics;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkFactoryTest;
import org.neuroplastic.model.network.NetworkSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RepresentationProbeTest {

    @Test
    void probingAPlasticNetworkReadsEachHiddenLayerAndChangesNothing() {
        MultiLayerNetwork network = NetworkFactory.build(NetworkFactoryTest.reference(
                NetworkFactoryTest.EVERY_MECHANISM, NetworkSpec.Variant.PLASTIC));
        Nd4j.getRandom().setSeed(7);
        var probe = Nd4j.randn(DataType.FLOAT, 32, 10);
        float[] before = network.params().toFloatVector();

        var readings = RepresentationProbe.read(network, probe);

        assertThat(network.params().toFloatVector()).isEqualTo(before);
        assertThat(readings).isNotEmpty();
        assertThat(readings).extracting(RepresentationProbe.Reading::layer)
                .doesNotContain(network.getnLayers() - 1);
        var first = readings.get(0);
        var activations = network.feedForward(probe, false).get(1);
        assertThat(first.deadUnitFraction()).isEqualTo(RepresentationDiagnostics.deadUnitFraction(activations));
        assertThat(first.effectiveRank()).isBetween(1.0, (double) activations.columns());
        assertThat(first.meanAbsoluteWeight()).isCloseTo(
                network.getLayer(0).getParam("W").castTo(DataType.DOUBLE).ameanNumber().doubleValue(), within(1e-12));
    }
}
