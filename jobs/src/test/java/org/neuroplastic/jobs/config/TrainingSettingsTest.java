package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingSettingsTest {

    /** Every setting away from its default, so that one dropped back to its default shows. */
    private static final TrainingSettings EVERY_SETTING_SET = new TrainingSettings(3, 16, 4, 6, false,
            TrainingSettings.Master.RESIDENT, false, ConsolidationSettings.elastic(ConsolidationSettings.Method.EWC, 250, 64),
            new AugmentationSettings(28, true, 2));

    @Test
    void withEpochsChangesTheEpochsAndKeepsConsolidationAugmentationAndEveryOtherSetting() {
        TrainingSettings longer = EVERY_SETTING_SET.withEpochs(9);

        assertThat(longer.epochs()).isEqualTo(9);
        assertThat(longer.consolidation()).isEqualTo(EVERY_SETTING_SET.consolidation());
        assertThat(longer.augmentation()).isEqualTo(EVERY_SETTING_SET.augmentation());
        assertThat(longer).usingRecursiveComparison().ignoringFields("epochs").isEqualTo(EVERY_SETTING_SET);
    }

    @Test
    void withEpochsChecksTheEpochsAsReadingTheFileDoes() {
        assertThatThrownBy(() -> EVERY_SETTING_SET.withEpochs(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training.epochs must be >= 1, found 0");
    }
}
