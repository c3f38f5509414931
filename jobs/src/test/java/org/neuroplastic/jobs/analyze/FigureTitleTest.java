package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;

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
}
