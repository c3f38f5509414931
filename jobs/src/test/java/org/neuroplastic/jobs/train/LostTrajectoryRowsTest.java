package org.neuroplastic.jobs.train;

import org.apache.spark.MapOutputTrackerMaster;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trajectory rows wait on the executors until the epoch's write (two copies on a cluster). Losing every
 * copy, and the shuffle output they came from, is what losing both executors that held them does; Spark would
 * then have to train their rounds again, from states already replaced. The write must fail with the way out
 * named, and leave no file behind, so that a resumed run still holds one row per key.
 */
class LostTrajectoryRowsTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path out;

    @Test
    void rowsLostWithEveryCopyFailTheWriteNamingTheResumeAndWriteNothing() throws Exception {
        List<DataSet> data = SmallNetworks.minibatches(2 * 3 * 2, 8, 5);
        TrainingSettings settings = TrainingSettings.resident(2, 8, 3, 1).withTrajectories(true);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope("lost", null, 0), new WeightNormMetrics())) {
            new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master)
                    .fit(SPARK.context().parallelize(data, 2));
            assertThat(master.pendingTrajectory().count()).isPositive();

            loseEveryCachedBlockAndShuffleOutput();

            EpochOutputs outputs = new EpochOutputs("lost", new TrajectoryWriter(SPARK.session()),
                    new ResultWriter(SPARK.session()), Storage.of(SPARK.session()), LocalFiles.at(out));
            outputs.trajectory(master.takeTrajectory());
            assertThatThrownBy(outputs::close)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("run lost")
                    .hasMessageContaining("resume the run from its last checkpoint");
        }
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".parquet")).toList())
                    .as("parquet files left behind").isEmpty();
        }
    }

    /** What an executor's loss takes: its cached blocks and the map outputs of the shuffles it ran. */
    private static void loseEveryCachedBlockAndShuffleOutput() {
        for (JavaRDD<?> cached : SPARK.context().getPersistentRDDs().values()) {
            cached.unpersist(true);
        }
        MapOutputTrackerMaster tracker = (MapOutputTrackerMaster) SparkEnv.get().mapOutputTracker();
        for (int shuffle = 0; shuffle < 10_000; shuffle++) {
            if (tracker.containsShuffle(shuffle)) {
                tracker.unregisterAllMapAndMergeOutput(shuffle);
            }
        }
    }
}
