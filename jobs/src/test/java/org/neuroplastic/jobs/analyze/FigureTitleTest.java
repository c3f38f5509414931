package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Titles name what is drawn and the seed count. */
class FigureTitleTest {

    @Test
    void aSettingOfFiveReplicasSaysFiveSeeds() {
        assertThat(FigureTitle.of("Held-out loss per epoch", "plastic, EWC", 5)).isEqualTo("Held-out loss per epoch, plastic, EWC \u2014 5 seeds");
    }

    @Test
    void oneRunSaysOneSeed() {
        assertThat(FigureTitle.of("Accuracy matrix R", "run s", 1)).isEqualTo("Accuracy matrix R, run s \u2014 1 seed");
    }

    @Test
    void settingsOfDifferentReplicaCountsGiveTheRange() {
        assertThat(FigureTitle.of("Loss", "the 3 settings", 3, 5)).isEqualTo("Loss, the 3 settings \u2014 3 to 5 seeds");
        assertThat(FigureTitle.of("Loss", "the 3 settings", 4, 4)).isEqualTo("Loss, the 3 settings \u2014 4 seeds");
    }

    @Test
    void severalRunsDrawnAloneSayOneSeedEach() {
        assertThat(FigureTitle.ofRuns("Held-out loss per epoch", "the 4 best-ranked runs"))
                .isEqualTo("Held-out loss per epoch, the 4 best-ranked runs \u2014 1 seed each");
    }

    @Test
    void theRunsDrawnAreNamedByLabelOrCounted() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("run-17", "t3");
        assertThat(FigureTitle.ofRuns("Plasticity of layer 0", one)).isEqualTo("Plasticity of layer 0, run t3 \u2014 1 seed");
        Map<String, String> four = new LinkedHashMap<>(one);
        four.put("a", "t1");
        four.put("b", "t2");
        four.put("c", "t4");
        assertThat(FigureTitle.ofRuns("Plasticity of layer 0", four))
                .isEqualTo("Plasticity of layer 0, the 4 best-ranked runs \u2014 1 seed each");
    }
}
