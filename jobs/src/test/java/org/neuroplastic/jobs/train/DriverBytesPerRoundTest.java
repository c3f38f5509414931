package org.neuroplastic.jobs.train;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.learning.config.Adam;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers' states are averaged on the executors: what reaches the driver in a round is the averaged
 * state once plus a few scalars per worker, not one state per worker.
 */
class DriverBytesPerRoundTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final int ROUNDS = 2;

    @Test
    void bytesIntoTheDriverPerRoundHardlyGrowWithTheWorkers() throws Exception {
        // 6x2000 + 2000 + 2000x3 + 3 = 20,003 parameters and twice as many Adam values: 240 KB of state.
        long two = driverBytesPerRound(2, 1, false);
        long sixteen = driverBytesPerRound(16, 1, false);

        assertThat(two).isGreaterThan(4L * 20_003 * 3);
        // One state per worker would make this 8 times as much.
        assertThat(sixteen).isLessThan(2 * two);
    }

    /**
     * 2 workers x 32 steps x 2 layers = 128 worker rows a round, some 80 KB as Java-serialized records, a
     * third of the 240 KB state: were they collected, the driver would receive a third more.
     */
    @Test
    void trajectoryRowsStayOnTheExecutors() throws Exception {
        long off = driverBytesPerRound(2, 32, false);
        long on = driverBytesPerRound(2, 32, true);

        assertThat(on).isLessThan(off + off / 20);
    }

    private static long driverBytesPerRound(int workers, int frequency, boolean trajectories) throws Exception {
        TrainingSettings settings = TrainingSettings.resident(workers, 4, frequency, 1)
                .withTrajectories(trajectories);
        MultiLayerNetwork network = SmallNetworks.classifier(new Adam(0.01), 2000);
        AtomicLong bytes = new AtomicLong();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    bytes.addAndGet(end.taskMetrics().resultSize());
                }
            }
        };
        var data = SPARK.context().parallelize(SmallNetworks.minibatches(workers * ROUNDS * frequency, 4, 5), workers);
        data.count();
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope("bytes-" + workers + "-" + frequency + "-" + trajectories, null, 0),
                new WeightNormMetrics())) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), network, master);
            SPARK.context().sc().addSparkListener(listener);
            EpochReport report;
            try {
                report = master.fitEpoch(spark, data);
                SPARK.context().sc().listenerBus().waitUntilEmpty();
            } finally {
                SPARK.context().sc().removeSparkListener(listener);
            }
            assertThat(report.rounds()).isEqualTo(ROUNDS);
        }
        return bytes.get() / ROUNDS;
    }
}
