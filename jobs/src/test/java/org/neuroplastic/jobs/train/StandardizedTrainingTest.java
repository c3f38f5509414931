package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.data.Standardization;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.results.StandardizationRecord;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code data.standardize} end to end on the shipped wine example (features from 0.1 to 1,680): the
 * network learns with it and not without, the run records the statistics it used, and a resumed run
 * standardizes with the recorded statistics rather than new ones. The tests share one standardized run,
 * which they only read or copy.
 */
class StandardizedTrainingTest {

    private static final Path WINE = Path.of("..", "conf", "wine.yaml");
    private static final int EPOCHS = 3;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** A standardized run of {@link #EPOCHS} epochs. */
    private static Path finished;
    private static RunSummary finishedSummary;

    @BeforeAll
    static void trainStandardized() {
        finished = shared.resolve("standardized");
        finishedSummary = train(wine(true, EPOCHS), finished);
    }

    private static TrainConfig wine(boolean standardize, int epochs) {
        return TrainConfig.read(LocalFiles.load(WINE, List.of("data.path=../data/wine_data.csv",
                "data.standardize=" + standardize, "training.epochs=" + epochs)));
    }

    private static RunSummary train(TrainConfig config, Path out) {
        return TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null, new PrintStream(new ByteArrayOutputStream()));
    }

    private static Row run(Path out) {
        return SPARK.session().read().parquet(out.resolve(ResultWriter.RUNS).toString()).first();
    }

    @Test
    void theNetworkLearnsWineWithStandardizedFeaturesAndNotWithRawOnes() {
        train(wine(false, EPOCHS), dir.resolve("raw"));

        double standardized = run(finished).getAs("final_test_accuracy");
        double raw = run(dir.resolve("raw")).getAs("final_test_accuracy");
        assertThat(standardized).as("held-out accuracy, standardized").isGreaterThanOrEqualTo(0.8);
        assertThat(standardized - raw).as("gain over raw features (raw: " + raw + ")").isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void theRunRecordsTheTrainingSplitsStatistics() {
        Path out = finished;
        RunSummary summary = finishedSummary;

        List<Row> rows = SPARK.session().read().parquet(out.resolve(ResultWriter.STANDARDIZATION).toString())
                .collectAsList();
        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(row.<String>getAs("run_id")).isEqualTo(summary.runId());
        assertThat(row.<Long>getAs("training_rows")).isEqualTo(summary.trainRows());
        List<Double> mean = row.getList(row.fieldIndex("mean"));
        assertThat(mean).hasSize(13);
        // Proline (the 13th feature) over wine's 178 rows averages 746.9; the training split's is close.
        assertThat(mean.get(12)).isCloseTo(746.9, within(60.0));
        Standardization read = StandardizationRecord.read(SPARK.session(), LocalFiles.at(out), summary.runId());
        assertThat(read.mean()).containsExactly(mean.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void aResumedRunStandardizesWithTheStatisticsItRecorded() throws IOException {
        RunSummary summary = finishedSummary;
        Standardization recorded = StandardizationRecord.read(SPARK.session(), LocalFiles.at(finished), summary.runId());
        Path killed = killedBeforeTheLastEpoch("killed");
        Path doctored = killedBeforeTheLastEpoch("doctored");
        double[] wider = recorded.std();
        for (int f = 0; f < wider.length; f++) {
            wider[f] *= 3;
        }
        replaceStatistics(doctored, summary.runId(), Standardization.of(recorded.trainingRows(), recorded.mean(), wider));

        TrainJob.resume(wine(true, EPOCHS), SPARK.session(), LocalFiles.at(killed), new PrintStream(new ByteArrayOutputStream()));
        TrainJob.resume(wine(true, EPOCHS), SPARK.session(), LocalFiles.at(doctored), new PrintStream(new ByteArrayOutputStream()));

        double uninterrupted = run(finished).getAs("final_test_loss");
        assertThat(run(killed).<Double>getAs("final_test_loss")).isEqualTo(uninterrupted);
        assertThat(run(doctored).<Double>getAs("final_test_loss")).isNotEqualTo(uninterrupted);
        assertThat(SPARK.session().read().parquet(killed.resolve(ResultWriter.STANDARDIZATION).toString()).count())
                .isEqualTo(1);
    }

    /** A copy of the finished run as a run killed after the checkpoint of its second-to-last epoch. */
    private Path killedBeforeTheLastEpoch(String name) throws IOException {
        Path copy = dir.resolve(name);
        try (Stream<Path> files = Files.walk(finished)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(finished.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.delete(copy.resolve("model.zip"));
        Files.delete(copy.resolve("checkpoints").resolve(Resumption.checkpointName(EPOCHS)));
        delete(copy.resolve(ResultWriter.RUNS));
        return copy;
    }

    private static void replaceStatistics(Path out, String runId, Standardization statistics) throws IOException {
        delete(out.resolve(ResultWriter.STANDARDIZATION));
        new ResultWriter(SPARK.session()).appendStandardizations(
                List.of(new StandardizationRecord(runId, null, statistics)), LocalFiles.at(out));
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
