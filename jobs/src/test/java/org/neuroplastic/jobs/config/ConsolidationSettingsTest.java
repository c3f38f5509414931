package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsolidationSettingsTest {

    private static final String CONFIG = SmallStream.CONFIG;

    private static TrainConfig read(String yaml, String... sets) {
        return SmallStream.read(yaml, sets);
    }

    private static TrainConfig withConsolidation(String section) {
        return read(CONFIG + "  consolidation: " + section + "\n");
    }

    @Test
    void absentSectionMeansNaiveFineTuning() {
        TrainConfig config = read(CONFIG);

        assertThat(config.training().consolidation()).isEqualTo(ConsolidationSettings.NONE);
        assertThat(config.training().consolidation().enabled()).isFalse();
        assertThat(config.effectiveYaml()).contains("consolidation:", "method: none", "lambda: 10000.0",
                "fisher_examples: 1000");
    }

    @Test
    void readsElasticWeightConsolidation() {
        ConsolidationSettings ewc = withConsolidation("{method: ewc, lambda: 250, fisher_examples: 64}")
                .training().consolidation();

        assertThat(ewc).isEqualTo(ConsolidationSettings.elastic(ConsolidationSettings.Method.EWC, 250, 64));
        assertThat(ewc.enabled()).isTrue();
    }

    @Test
    void commandLineOverridesSelectTheMethod() {
        ConsolidationSettings ewc = read(CONFIG, "training.consolidation.method=ewc",
                "training.consolidation.lambda=0.5").training().consolidation();

        assertThat(ewc.method()).isEqualTo(ConsolidationSettings.Method.EWC);
        assertThat(ewc.lambda()).isEqualTo(0.5);
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> withConsolidation("{method: lwf}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("conf/t.yaml: training.consolidation.method must be one of none, ewc, si, found text 'lwf'");
        assertThatThrownBy(() -> withConsolidation("{method: ewc, lambda: -1}"))
                .hasMessage("conf/t.yaml: training.consolidation.lambda must be a finite number >= 0, found -1.0");
        assertThatThrownBy(() -> withConsolidation("{method: ewc, lambda: many}"))
                .hasMessage("conf/t.yaml: training.consolidation.lambda must be a number, found text 'many'");
        assertThatThrownBy(() -> withConsolidation("{method: ewc, fisher_examples: 0}"))
                .hasMessage("conf/t.yaml: training.consolidation.fisher_examples must be >= 1, found 0");
        assertThatThrownBy(() -> withConsolidation("{method: ewc, gamma: 0.9}"))
                .hasMessageStartingWith("conf/t.yaml: unknown key training.consolidation.gamma (known keys here: method,");
        assertThatThrownBy(() -> read(CONFIG.replace("epochs: 2", "epochs: 2\n  averaging: stock"),
                "training.consolidation.method=ewc"))
                .hasMessage("--set training.consolidation.method=ewc: training.consolidation.method ewc needs training.averaging "
                        + "resident, found stock");
        assertThatThrownBy(() -> read(CONFIG.replace("  stream: {kind: split, classes_per_task: 1}\n", ""),
                "training.consolidation.method=ewc"))
                .hasMessage("--set training.consolidation.method=ewc: training.consolidation.method ewc needs a task "
                        + "stream (data.stream), found a single data set");
        assertThatThrownBy(() -> withConsolidation("ewc"))
                .hasMessage("conf/t.yaml: training.consolidation must be a mapping, found text 'ewc'");
    }
}
