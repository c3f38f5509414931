package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.neuroplastic.model.network.ShrinkAndPerturb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingSettingsTest {

    /** Every setting away from its default, so that one dropped back to its default shows. */
    private static final TrainingSettings EVERY_SETTING_SET = new TrainingSettings(3, 16, 4, 6, false,
            TrainingSettings.Averaging.RESIDENT, false, ConsolidationSettings.elastic(ConsolidationSettings.Method.EWC, 250, 64),
            new AugmentationSettings(28, true, 2), 0, ShrinkAndPerturb.OFF, ReplaySettings.OFF);

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

    @Test
    void diagnosticsNeedTrajectoriesAndTheResidentMasterAndACountOfZeroOrMore() {
        assertThatThrownBy(() -> settings(true, TrainingSettings.Averaging.RESIDENT, -1))
                .hasMessage("training.diagnostics_every must be >= 0 (0: never), found -1");
        assertThatThrownBy(() -> settings(false, TrainingSettings.Averaging.RESIDENT, 5))
                .hasMessage("training.diagnostics_every 5 records into the trajectories, which training.trajectories "
                        + "false switches off");
        assertThatThrownBy(() -> settings(true, TrainingSettings.Averaging.STOCK, 5))
                .hasMessage("training.diagnostics_every needs training.averaging resident, found stock");
        assertThat(settings(true, TrainingSettings.Averaging.RESIDENT, 5).diagnosticsEvery()).isEqualTo(5);
    }

    private static TrainingSettings settings(boolean trajectories, TrainingSettings.Averaging master, int diagnosticsEvery) {
        return new TrainingSettings(2, 8, 2, 1, true, master, trajectories, ConsolidationSettings.NONE,
                AugmentationSettings.NONE, diagnosticsEvery, ShrinkAndPerturb.OFF, ReplaySettings.OFF);
    }
}
