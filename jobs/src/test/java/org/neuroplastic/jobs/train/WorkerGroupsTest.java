package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** More workers than task slots: each task trains a group of workers and sends their sum. */
class WorkerGroupsTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final int BATCH = 8;
    private static final int FREQUENCY = 2;

    @Test
    void aTaskTrainsAsManyWorkersAsTheSlotsLeaveUnlessTrainingWorkersPerTaskFixesThem() {
        assertThat(TrainingSettings.resident(2, BATCH, FREQUENCY, 1).workersPerTaskOn(2)).isEqualTo(1);
        assertThat(TrainingSettings.resident(1, BATCH, FREQUENCY, 1).workersPerTaskOn(8)).isEqualTo(1);
        assertThat(TrainingSettings.resident(3, BATCH, FREQUENCY, 1).workersPerTaskOn(2)).isEqualTo(2);
        assertThat(TrainingSettings.resident(64, BATCH, FREQUENCY, 1).workersPerTaskOn(2)).isEqualTo(32);
        assertThat(TrainingSettings.resident(65, BATCH, FREQUENCY, 1).workersPerTaskOn(64)).isEqualTo(2);
        TrainingSettings eight = TrainingSettings.resident(8, BATCH, FREQUENCY, 1);
        assertThat(eight.withWorkersPerTask(2).workersPerTaskOn(2)).isEqualTo(2);
        assertThat(eight.withWorkersPerTask(2).workersPerTaskOn(64)).isEqualTo(2);
        assertThat(eight.withWorkersPerTask(1).workersPerTaskOn(2)).isEqualTo(1);
        assertThat(eight.withWorkersPerTask(20).workersPerTaskOn(2)).isEqualTo(8);
    }

    /**
     * Four workers on two slots, one round: the average is each group's double sum (workers 0 + 1, 2 + 3, in
     * partition order) added in group order and divided once, of four networks trained here with DL4J alone.
     */
    @Test
    void fourWorkersOnTwoSlotsAverageTheGroupsSumsOfWhatEachWorkerTrained() {
        int workers = 4;
        List<DataSet> data = SmallNetworks.minibatches(workers * FREQUENCY, BATCH, 31);
        MultiLayerNetwork start = SmallNetworks.classifier();
        float[][] trained = new float[workers][];
        float[][] updater = new float[workers][];
        for (int w = 0; w < workers; w++) {
            MultiLayerNetwork alone = start.clone();
            for (DataSet minibatch : data.subList(w * FREQUENCY, (w + 1) * FREQUENCY)) {
                alone.fit(minibatch);
            }
            trained[w] = alone.params().toFloatVector();
            updater[w] = alone.getUpdater().getStateViewArray().toFloatVector();
        }

        MultiLayerNetwork resident = start.clone();
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(
                TrainingSettings.resident(workers, BATCH, FREQUENCY, 1).withTrajectories(false),
                new TrajectoryScope("grouped-average", null, 0), new WeightNormMetrics())) {
            EpochReport report = master.fitEpoch(new SparkDl4jMultiLayer(SPARK.context(), resident, master),
                    SPARK.context().parallelize(data, workers));
            assertThat(report.rounds()).isEqualTo(1);
        }

        assertThat(resident.params().toFloatVector()).containsExactly(groupedMean(trained));
        assertThat(resident.getUpdater().getStateViewArray().toFloatVector()).containsExactly(groupedMean(updater));
    }

    private static float[] groupedMean(float[][] workers) {
        float[] mean = new float[workers[0].length];
        for (int i = 0; i < mean.length; i++) {
            double first = 0.0 + workers[0][i] + workers[1][i];
            double second = 0.0 + workers[2][i] + workers[3][i];
            mean[i] = (float) ((0.0 + first + second) / 4);
        }
        return mean;
    }

    @Test
    void groupedWorkersFitEveryMinibatchOncePerEpochAndEachMakesItsOwnRows() {
        int workers = 5;
        List<DataSet> data = new ArrayList<>(SmallNetworks.minibatches(13, BATCH, 17));
        JavaRDD<DataSet> rdd = SPARK.context().parallelize(data, 3);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(
                TrainingSettings.resident(workers, BATCH, FREQUENCY, 1), new TrajectoryScope("grouped-rows", null, 0),
                new WeightNormMetrics())) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master);
            EpochReport report = master.fitEpoch(spark, rdd);

            assertThat(report.examplesUsed()).isEqualTo(13L * BATCH);
            List<TrajectoryRecord> rows = TrajectoryRows.take(master);
            List<String> workerSteps = rows.stream().filter(r -> !r.worker().equals(TrajectoryRecord.AVERAGED))
                    .filter(r -> r.layer() == 0).map(r -> r.worker() + "@" + r.step()).toList();
            assertThat(workerSteps).doesNotHaveDuplicates().hasSize(13);
            Set<String> named = rows.stream().map(TrajectoryRecord::worker).collect(Collectors.toSet());
            assertThat(named).containsExactlyInAnyOrder("0", "1", "2", "3", "4", TrajectoryRecord.AVERAGED);
        }
    }
}
