package org.neuroplastic.jobs.train;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A task that fails half-way through a round is retried (local[2,2]: two attempts per task). */
class ResidentAveragingMasterRetryTest {

    private static final AtomicInteger CALLS_ON_PARTITION_1 = new AtomicInteger();
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicBoolean RETRY_RAN = new AtomicBoolean();

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2,2]");

    /** Weight norms, but the 5th executor-side read on partition 1 (mid round 1) fails once. */
    private static final LayerMetricsSource FAILING_ONCE = network -> {
        TaskContext task = TaskContext.get();
        if (task != null && task.partitionId() == 1) {
            if (task.attemptNumber() > 0) {
                RETRY_RAN.set(true);
            }
            if (CALLS_ON_PARTITION_1.incrementAndGet() == 5 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
        }
        return new WeightNormMetrics().read(network);
    };

    @Test
    void aRetriedTaskDeliversItsRowsOnceAndTheSameParameters() {
        TrainingSettings settings = TrainingSettings.resident(2, 8, 3, 1);
        List<DataSet> data = SmallNetworks.minibatches(18, 8, 61);
        JavaRDD<DataSet> rdd = SPARK.context().parallelize(data, 2);
        MultiLayerNetwork clean = SmallNetworks.classifier();
        MultiLayerNetwork retried = clean.clone();

        List<TrajectoryRecord> cleanRows;
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope("clean", null, 0), new WeightNormMetrics())) {
            new SparkDl4jMultiLayer(SPARK.context(), clean, master).fit(rdd);
            cleanRows = TrajectoryRows.take(master);
        }
        List<TrajectoryRecord> retriedRows;
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope("retried", null, 0), FAILING_ONCE)) {
            new SparkDl4jMultiLayer(SPARK.context(), retried, master).fit(rdd);
            retriedRows = TrajectoryRows.take(master);
        }

        assertThat(FAILED).isTrue();
        assertThat(RETRY_RAN).isTrue();
        assertThat(retriedRows).hasSameSizeAs(cleanRows);
        assertThat(retriedRows.stream().map(TrajectoryRecord::key).distinct().count())
                .isEqualTo(retriedRows.size());
        assertThat(retried.params().toFloatVector()).isEqualTo(clean.params().toFloatVector());
    }
}
