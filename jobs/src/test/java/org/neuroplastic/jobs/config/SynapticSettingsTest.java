package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code training.consolidation: {method: si, c, xi}}: Synaptic Intelligence's settings. */
class SynapticSettingsTest {

    private static final String CONFIG = SmallStream.CONFIG;

    private static TrainConfig read(String yaml, String... sets) {
        return SmallStream.read(yaml, sets);
    }

    private static TrainConfig withConsolidation(String section) {
        return read(CONFIG + "  consolidation: " + section + "\n");
    }

    @Test
    void readsSynapticIntelligenceWithItsOwnStrength() {
        TrainConfig config = withConsolidation("{method: si, c: 0.5, xi: 0.001}");
        ConsolidationSettings si = config.training().consolidation();

        assertThat(si).isEqualTo(ConsolidationSettings.synapticIntelligence(0.5, 0.001));
        assertThat(si.method()).isEqualTo(ConsolidationSettings.Method.SI);
        assertThat(si.enabled()).isTrue();
        assertThat(config.effectiveYaml()).contains("method: si", "c: 0.5", "xi: 0.001")
                .doesNotContain("lambda", "fisher_examples");
    }

    @Test
    void defaultsAreTheAuthorsValues() {
        ConsolidationSettings si = read(CONFIG, "training.consolidation.method=si").training().consolidation();

        assertThat(si.c()).isEqualTo(1.0);
        assertThat(si.xi()).isEqualTo(0.1);
    }

    @Test
    void ewcKeepsItsKeysAndSiDefaults() {
        ConsolidationSettings ewc = withConsolidation("{method: ewc, lambda: 250}").training().consolidation();

        assertThat(ewc.c()).isEqualTo(ConsolidationSettings.DEFAULT_C);
        assertThat(ewc.xi()).isEqualTo(ConsolidationSettings.DEFAULT_XI);
    }

    @Test
    void rejectsBadValuesAndTheOtherMethodsKeys() {
        assertThatThrownBy(() -> withConsolidation("{method: si, c: -1}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("conf/t.yaml: training.consolidation.c must be a finite number >= 0, found -1.0");
        assertThatThrownBy(() -> withConsolidation("{method: si, xi: 0}"))
                .hasMessage("conf/t.yaml: training.consolidation.xi must be a finite number > 0, found 0.0");
        assertThatThrownBy(() -> withConsolidation("{method: si, lambda: 100}"))
                .hasMessage("conf/t.yaml: unknown key training.consolidation.lambda (known keys here: method, c, xi)");
        assertThatThrownBy(() -> withConsolidation("{method: ewc, c: 1}"))
                .hasMessageStartingWith("conf/t.yaml: unknown key training.consolidation.c (known keys here: method, lambda,");
        assertThatThrownBy(() -> read(CONFIG.replace("epochs: 2", "epochs: 2\n  averaging: stock"),
                "training.consolidation.method=si"))
                .hasMessage("--set training.consolidation.method=si: training.consolidation.method si needs training.averaging "
                        + "resident, found stock");
    }
}
