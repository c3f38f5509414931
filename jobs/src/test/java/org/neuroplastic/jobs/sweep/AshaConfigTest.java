package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code early_stop.kind} and {@code trial_timeout} as the sweep file gives them. */
class AshaConfigTest {

    private static final String GRID = """
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.001, 0.01]}
              training.epochs: {values: [3]}
            """;

    @Test
    void kindDefaultsToSynchronousSoThatExistingSweepFilesKeepTheirMeaning() {
        SweepConfig sweep = SweepFiles.sweep(GRID + "early_stop: {rungs: 1}\n");
        assertThat(sweep.earlyStop()).isEqualTo(new EarlyStop(1, 2, 1, EarlyStop.Kind.SYNCHRONOUS));
        assertThat(sweep.effectiveYaml()).contains("kind: synchronous");
        assertThat(sweep.trialTimeout()).isNull();
    }

    @Test
    void ashaIsReadInParallelModeWithAnIntegerParallelism() {
        SweepConfig sweep = SweepFiles.sweep(GRID + "parallelism: 2\ntrial_timeout: 1.5\n"
                + "early_stop: {kind: asha, rungs: 2, reduction_factor: 2, min_epochs: 1}\n");
        assertThat(sweep.earlyStop()).isEqualTo(new EarlyStop(2, 2, 1, EarlyStop.Kind.ASHA));
        assertThat(sweep.trialTimeout()).isEqualTo(1.5);
    }

    @Test
    void ashaIsRefusedWhereItCannotRunWithOneLine() {
        assertInvalid(GRID + "mode: averaged\nearly_stop: {kind: asha, rungs: 1}\n",
                "sweep.yaml: early_stop.kind asha applies only to mode parallel");
        assertInvalid(GRID + "early_stop: {kind: asha, rungs: 1}\n",
                "sweep.yaml: parallelism must be an integer with early_stop.kind asha");
        assertInvalid(GRID + "parallelism: slots\nearly_stop: {kind: asha, rungs: 1}\n",
                "sweep.yaml: parallelism must be an integer with early_stop.kind asha");
        assertInvalid(GRID + "parallelism: 2\nearly_stop: {kind: hyperband, rungs: 1}\n", "sweep.yaml: early_stop.kind");
        assertInvalid("method: tpe\ncount: 3\nparallelism: 1\nparameters:\n  network.updater.learning_rate: "
                + "{distribution: log_uniform, min: 0.001, max: 0.1}\nearly_stop: {kind: asha, rungs: 1}\n",
                "sweep.yaml: early_stop does not apply to method tpe");
    }

    @Test
    void trialTimeoutMustBePositiveSecondsInParallelMode() {
        assertInvalid(GRID + "trial_timeout: 0\n", "sweep.yaml: trial_timeout must be a number of seconds > 0, found 0");
        assertInvalid(GRID + "trial_timeout: -3\n", "sweep.yaml: trial_timeout must be a number of seconds > 0");
        assertInvalid(GRID + "trial_timeout: soon\n", "sweep.yaml: trial_timeout");
        assertInvalid(GRID + "mode: averaged\ntrial_timeout: 60\n", "sweep.yaml: trial_timeout applies only to mode parallel");
    }

    @Test
    void resumingWithAnotherTrialTimeoutIsTheSameStudyButAnotherAshaParallelismIsNot() {
        String asha = GRID + "early_stop: {kind: asha, rungs: 1}\n";
        SweepConfig sweep = SweepFiles.sweep(asha + "parallelism: 2\ntrial_timeout: 5\n");
        assertThat(sweep.sameStudyAs(SweepFiles.sweep(asha + "parallelism: 2\n").effectiveYaml())).isTrue();
        assertThat(sweep.sameStudyAs(SweepFiles.sweep(asha + "parallelism: 1\n").effectiveYaml())).isFalse();
    }

    @Test
    void aFolderRecordedBeforeKindExistedResumesAsSynchronous() {
        SweepConfig sweep = SweepFiles.sweep(GRID + "early_stop: {rungs: 1}\n");
        String recorded = sweep.effectiveYaml().replace("kind: synchronous", "");
        assertThat(recorded).doesNotContain("kind");
        assertThat(sweep.sameStudyAs(recorded)).isTrue();
    }

    private static void assertInvalid(String rest, String messageStart) {
        assertThatThrownBy(() -> SweepFiles.sweep(rest))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(messageStart)
                .hasMessageNotContaining("\n");
    }
}
