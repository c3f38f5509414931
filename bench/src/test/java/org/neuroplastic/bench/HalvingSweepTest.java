package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.sweep.EarlyStop;
import org.neuroplastic.jobs.sweep.SweepConfig;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HalvingSweepTest {

    /** Tests run in bench/, so the checkout's data/ is one folder up. */
    private static final Path CHECKOUT = Path.of("..");

    private static SweepConfig read(HalvingSweep sweep, String kind) {
        return SweepConfig.read(ConfigDocument.parse("halving.yaml", sweep.yaml(CHECKOUT, 27, 27, 100,
                "validation_loss", 2, new HalvingSweep.Halving(kind, 2, 3, 3)), List.of()));
    }

    @Test
    void bothHalvingsOfOneSeedSearchTheSameFourKeysAndDifferOnlyInTheirKind() {
        for (HalvingSweep sweep : HalvingSweep.values()) {
            SweepConfig sync = read(sweep, "synchronous");
            SweepConfig asha = read(sweep, "asha");
            assertThat(sync.parameters()).extracting(p -> p.key()).containsExactly("network.updater.learning_rate",
                    "network.hidden.0.plasticity.hebbian.eta", "network.hidden.0.plasticity.structural.density",
                    "network.hidden.0.size");
            assertThat(asha.parameters()).isEqualTo(sync.parameters());
            assertThat(sync.count()).isEqualTo(27).isEqualTo(asha.count());
            assertThat(sync.seed()).isEqualTo(100L).isEqualTo(asha.seed());
            assertThat(sync.earlyStop()).isEqualTo(new EarlyStop(2, 3, 3, EarlyStop.Kind.SYNCHRONOUS));
            assertThat(asha.earlyStop()).isEqualTo(new EarlyStop(2, 3, 3, EarlyStop.Kind.ASHA));
        }
    }

    @Test
    void theObjectiveIsNamedAsTheCommandLineSpellsItAndAnUnknownNameIsNone() {
        assertThat(HalvingSweep.named("digits")).isEqualTo(HalvingSweep.DIGITS);
        assertThat(HalvingSweep.named("iris")).isEqualTo(HalvingSweep.IRIS);
        assertThat(HalvingSweep.named("fashion-mnist")).isEqualTo(HalvingSweep.FASHION_MNIST);
        assertThat(HalvingSweep.named("mnist")).isNull();
    }
}
