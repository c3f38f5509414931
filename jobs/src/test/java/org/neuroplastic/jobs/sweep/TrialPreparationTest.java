package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrialPreparationTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    @Test
    void anEpochOnAshasClockCostsItsMinibatchesAndItsExamplesTimesTheLearnedParameters() {
        List<Trial> trials = SweepFiles.sweep("""
                method: grid
                parameters:
                  network.variant: {values: [dense]}
                  network.hidden.0.size: {values: [6, 60]}
                """).trials();
        try (TrainingDataFiles files = new TrainingDataFiles(SPARK.session(), LocalFiles.at(dir.resolve("data")))) {
            TrialPreparation preparation = new TrialPreparation(SPARK.session(),
                    new PrintStream(new ByteArrayOutputStream(), true), files, (trial, error) -> {
                    });
            // Of the 240 rows about a quarter is held out for the test; the rest train in minibatches of 30. Dense
            // 10 -> [6] -> 1 learns 10 x 6 weights + 6 biases and 6 x 1 + 1; 10 -> [60] -> 1 likewise.
            long rows = DatasetLoader.load(SPARK.session(), trials.get(0).config().data(), NetworkConfig.INFERRED)
                    .trainRows();
            assertThat(rows).isBetween(151L, 180L);
            assertThat(preparation.epochCost(trials.get(0)))
                    .isEqualTo(6 * TrialPreparation.MINIBATCH_COST + rows * (10 * 6 + 6 + 6 + 1));
            assertThat(preparation.epochCost(trials.get(1)))
                    .isEqualTo(6 * TrialPreparation.MINIBATCH_COST + rows * (10 * 60 + 60 + 60 + 1));
        }
    }
}
