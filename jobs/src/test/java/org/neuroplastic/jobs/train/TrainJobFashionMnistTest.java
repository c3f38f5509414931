package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The train job end to end on the real Fashion-MNIST (Debian's dataset-fashion-mnist, which CI
 * installs): conf/fashion-mnist.yaml on local[2], shrunk to the first 2,000 training and 500 test images
 * and one epoch. Skipped when the data set is not installed.
 */
class TrainJobFashionMnistTest {

    private static final Path CONFIG = Path.of("..", "conf", "fashion-mnist.yaml");
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    private static final List<String> SUBSET = List.of("data.limit=2000", "data.test_limit=500", "training.epochs=1");

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static TrainConfig config;
    private static Path out;
    private static RunSummary summary;

    @BeforeAll
    static void trainOnASubset() {
        assumeThat(DATA).exists();
        config = TrainConfig.read(LocalFiles.load(CONFIG, SUBSET));
        out = temp.resolve("fashion-mnist");
        summary = TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static Dataset<Row> read(String folder) {
        return SPARK.session().read().parquet(out.resolve(folder).toString());
    }

    @Test
    void trainsOnTheSubsetItWasGiven() {
        assertThat(summary.trainRows()).isEqualTo(2000);
        assertThat(summary.testRows()).isEqualTo(500);
        Row run = read(ResultWriter.RUNS).first();
        assertThat(run.<String>getAs("status")).isEqualTo("completed");
        assertThat(run.<Double>getAs("examples_used_fraction")).isEqualTo(1.0);
    }

    @Test
    void heldOutAccuracyIsWellAboveChanceAfterOneEpoch() {
        List<Row> evaluations = read(ResultWriter.EVALUATIONS).collectAsList();
        assertThat(evaluations).hasSize(1);
        Row evaluation = evaluations.get(0);
        assertThat(evaluation.<Integer>getAs("epoch")).isEqualTo(1);
        assertThat(evaluation.<Long>getAs("examples")).isEqualTo(500);
        // Ten balanced classes: chance is 0.1. One epoch on 2,000 images reaches about 0.65-0.7.
        assertThat(evaluation.<Double>getAs("accuracy")).isGreaterThan(0.5);
    }

    @Test
    void everyHiddenLayerHasWorkerAndAveragedTrajectories() {
        List<Row> rows = read(TrajectoryWriter.FOLDER).select("layer", "worker", "step", "hebbian_norm", "scaling_mean")
                .collectAsList();
        for (int layer = 0; layer < config.network().hidden().size(); layer++) {
            int index = layer;
            List<Row> ofLayer = rows.stream().filter(r -> r.getInt(0) == index).toList();
            assertThat(ofLayer).as("layer %d", layer).extracting(r -> r.getString(1)).containsOnly("0", "1",
                    TrajectoryRecord.AVERAGED).contains("0", "1", TrajectoryRecord.AVERAGED);
            Row last = ofLayer.stream().filter(r -> r.getString(1).equals(TrajectoryRecord.AVERAGED))
                    .max(Comparator.comparingLong(r -> r.getLong(2))).orElseThrow();
            assertThat(last.getDouble(3)).as("layer %d Oja trace norm", layer).isPositive();
            assertThat(last.getDouble(4)).as("layer %d mean scaling", layer).isNotEqualTo(1.0);
        }
    }
}
