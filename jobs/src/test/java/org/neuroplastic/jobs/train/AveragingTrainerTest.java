package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AveragingTrainerTest {

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        spark = SmallNetworks.localSpark("local[2]");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static TrainingSettings settings(TrainingSettings.Master master) {
        return new TrainingSettings(2, 8, 3, 2, true, master, true);
    }

    @Test
    void residentTrainerCallsListenersEveryRoundAndUsesEveryExample() {
        List<DataSet> data = SmallNetworks.minibatches(14, 8, 81);
        JavaRDD<DataSet> rdd = ResidentAveragingMaster.distribute(sc, data, 2);
        List<RoundResult> rounds = new ArrayList<>();
        try (AveragingTrainer trainer = new AveragingTrainer(sc, SmallNetworks.classifier(),
                settings(TrainingSettings.Master.RESIDENT), new TrajectoryScope("trainer-resident", null, 0),
                new WeightNormMetrics(), 1)) {
            trainer.addRoundListener((round, averaged) -> rounds.add(round));
            EpochReport first = trainer.fitEpoch(rdd);
            EpochReport second = trainer.fitEpoch(rdd);

            assertThat(first.examplesUsedFraction()).isEqualTo(1.0);
            assertThat(second.epoch()).isEqualTo(1);
            assertThat(rounds).hasSize(2 * 3);
            assertThat(trainer.drainTrajectory()).filteredOn(r -> r.worker().equals("1")).isNotEmpty();
        }
    }

    @Test
    void stockTrainerCallsListenersOncePerEpochAndReportsDroppedExamples() {
        List<DataSet> data = SmallNetworks.minibatches(14, 8, 91);
        JavaRDD<DataSet> rdd = ResidentAveragingMaster.distribute(sc, data, 2);
        List<RoundResult> rounds = new ArrayList<>();
        try (AveragingTrainer trainer = new AveragingTrainer(sc, SmallNetworks.classifier(),
                settings(TrainingSettings.Master.STOCK), new TrajectoryScope("trainer-stock", null, 0),
                new WeightNormMetrics(), 1)) {
            trainer.addRoundListener((round, averaged) -> rounds.add(round));
            EpochReport report = trainer.fitEpoch(rdd);
            trainer.fitEpoch(rdd);

            assertThat(report.examplesTotal()).isEqualTo(14L * 8);
            assertThat(report.examplesUsed()).isLessThanOrEqualTo(report.examplesTotal()).isPositive();
            assertThat(rounds).hasSize(2);
            assertThat(rounds.get(1).firstStep()).isEqualTo(rounds.get(0).lastStep() + 1);
            List<TrajectoryRecord> rows = trainer.drainTrajectory();
            assertThat(rows).hasSize(2 * 2).allSatisfy(r -> {
                assertThat(r.worker()).isEqualTo(TrajectoryRecord.AVERAGED);
                assertThat(r.workerDivergence()).isNull();
                assertThat(r.loss()).isPositive();
            });
        }
    }
}
