package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rung epochs marked on a sweep's learning curves, from the sweep's recorded configuration. */
class SweepRungsTest {

    @TempDir
    Path dir;

    @Test
    void rungsAreMinEpochsTimesTheReductionFactorToTheK() throws IOException {
        // min_epochs 2, factor 3, 3 rungs: after epochs 2, 6, 18.
        Files.writeString(dir.resolve("config.yaml"), "metric: {name: test_loss}\nearly_stop: {rungs: 3, reduction_factor: 3, min_epochs: 2}\n");
        assertThat(SweepRungs.read(LocalFiles.storage(), LocalFiles.at(dir))).containsExactly(2, 6, 18);
    }

    @Test
    void defaultsAreFactorTwoFromEpochOne() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "early_stop: {rungs: 3, kind: asha}\n");
        assertThat(SweepRungs.read(LocalFiles.storage(), LocalFiles.at(dir))).containsExactly(1, 2, 4);
    }

    @Test
    void noEarlyStopOrNoConfigurationMeansNoRungs() throws IOException {
        assertThat(SweepRungs.read(LocalFiles.storage(), LocalFiles.at(dir))).isEmpty();
        Files.writeString(dir.resolve("config.yaml"), "metric: {name: test_loss}\n");
        assertThat(SweepRungs.read(LocalFiles.storage(), LocalFiles.at(dir))).isEmpty();
    }

    @Test
    void aBrokenEarlyStopIsRefusedNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "early_stop: {rungs: 0}\n");
        assertThatThrownBy(() -> SweepRungs.read(LocalFiles.storage(), LocalFiles.at(dir)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("config.yaml: early_stop: rungs must be >= 1, found 0");
    }
}
