package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A data set written by the executors and read back by a trial is exactly what the driver used to broadcast. */
class TrainingDataFilesTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private LoadedDataset load(String rest) {
        SweepConfig sweep = SweepFiles.sweep(rest);
        return DatasetLoader.load(SPARK.session(), sweep.trials().get(0).config().data(), NetworkConfig.INFERRED);
    }

    private static final String ONE_TRIAL = """
            method: grid
            parameters:
              training.epochs: {values: [2]}
            """;

    @Test
    void readBackRowsEqualTheOldBroadcastInOnePartAndInManyParts() {
        LoadedDataset regression = load(ONE_TRIAL);
        for (long partBytes : new long[] {TrainingDataFiles.PART_BYTES, 2_000}) {
            Path root = dir.resolve("data-" + partBytes);
            TrainingDataFiles files = new TrainingDataFiles(SPARK.session(), LocalFiles.at(root), partBytes);
            TrainingDataFiles.Ref ref = files.write(regression);
            TrainingData read = TrainingDataCache.get(SPARK.session().sparkContext().hadoopConfiguration(), ref);
            assertSame(read, LegacyEncoding.of(regression));
            if (partBytes < TrainingDataFiles.PART_BYTES) {
                assertThat(root.resolve("0/train").toFile().list()).as("part files").hasSizeGreaterThan(3);
            }
            files.close();
            assertThat(root).doesNotExist();
            assertThat(TrainingDataCache.held(ref.sweep())).isZero();
        }
    }

    @Test
    void classificationLabelsAreOneHotAsBefore() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 97; i++) {
            csv.append(i * 0.37 % 5).append(',').append(-i).append(',').append(i % 11 * 0.5).append(',').append(i % 4).append('\n');
        }
        Path file = Files.writeString(dir.resolve("four.csv"), csv);
        SweepConfig sweep = SweepConfig.read(org.neuroplastic.jobs.config.ConfigDocument.parse("sweep.yaml", """
                base:
                  data: {format: csv, path: %s, task: classification, classes: 4, test_fraction: 0.3, split_seed: 5,
                         standardize: true}
                  network: {hidden: [{size: 3}]}
                  training: {batch_size_per_worker: 10, epochs: 1}
                method: grid
                parameters:
                  training.epochs: {values: [1]}
                """.formatted(file), java.util.List.of()));
        LoadedDataset data = DatasetLoader.load(SPARK.session(), sweep.trials().get(0).config().data(),
                NetworkConfig.INFERRED);
        TrainingDataFiles files = new TrainingDataFiles(SPARK.session(), LocalFiles.at(dir.resolve("data")), 500);
        TrainingData read = TrainingDataCache.get(SPARK.session().sparkContext().hadoopConfiguration(), files.write(data));
        assertSame(read, LegacyEncoding.of(data));
        assertThat(read.classification).isTrue();
        files.close();
    }

    @Test
    void aTrialTrainsTheSameNumbersOnTheFilesAsOnTheOldBroadcast() {
        SweepConfig sweep = SweepFiles.sweep(ONE_TRIAL);
        Trial trial = sweep.trials().get(0);
        LoadedDataset data = DatasetLoader.load(SPARK.session(), trial.config().data(), NetworkConfig.INFERRED);
        TrainingDataFiles files = new TrainingDataFiles(SPARK.session(), LocalFiles.at(dir.resolve("data")), 3_000);
        TrainingDataFiles.Ref ref = files.write(data);
        String configuration = org.neuroplastic.model.network.NetworkFactory.configuration(
                trial.config().networkFor(data.features(), data.target(), data.source()),
                org.neuroplastic.model.network.NetworkFactory.Rewiring.BY_LAYER,
                org.nd4j.linalg.api.buffer.DataType.FLOAT).toJson();
        TrialWork work = new TrialWork("t0000", "run", configuration, 30, 0, 2, 0, trial.seed(), true, 0,
                trial.config().training().augmentation(),
                trial.config().training().shrinkAndPerturb(), trial.config().training().evaluationBatchSize(), null,
                false);
        TrialProgress old = TrialTask.train(work, () -> LegacyEncoding.of(data), "x");
        TrialProgress now = TrialTask.train(work, () -> TrainingDataCache.get(
                SPARK.session().sparkContext().hadoopConfiguration(), ref), "x");
        assertThat(now.error()).isNull();
        assertThat(now.evaluations()).isEqualTo(old.evaluations());
        assertThat(now.trajectory()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("wallMs")
                .isEqualTo(old.trajectory());
        assertThat(now.finalTrainLoss()).isEqualTo(old.finalTrainLoss());
        files.close();
    }

    private static void assertSame(TrainingData read, TrainingData old) {
        assertThat(read.features).isEqualTo(old.features);
        assertThat(read.outputs).isEqualTo(old.outputs);
        assertThat(read.classification).isEqualTo(old.classification);
        assertThat(read.trainRows).isEqualTo(old.trainRows).isPositive();
        assertThat(read.testRows).isEqualTo(old.testRows).isPositive();
        assertThat(read.trainX).isEqualTo(old.trainX);
        assertThat(read.trainY).isEqualTo(old.trainY);
        assertThat(read.testX).isEqualTo(old.testX);
        assertThat(read.testY).isEqualTo(old.testY);
    }
}
