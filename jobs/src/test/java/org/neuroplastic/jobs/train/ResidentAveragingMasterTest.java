package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.AugmentationSettings;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryKey;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.PlasticitySettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResidentAveragingMasterTest {

    private static final int WORKERS = 2;
    private static final int BATCH = 8;
    private static final int FREQUENCY = 3;
    private static final int ROUNDS = 3;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static TrainingSettings settings(boolean saveUpdater, boolean trajectories) {
        return TrainingSettings.resident(WORKERS, BATCH, FREQUENCY, 1).withSaveUpdater(saveUpdater)
                .withTrajectories(trajectories);
    }

    /**
     * DL4J's master, given one split of exactly workers x frequency minibatches already in
     * {@code workers} partitions of {@code frequency} each, neither splits nor repartitions: worker p
     * fits partition p in order. One stock fit per round over round r's slice of every partition is
     * then the same data order as one resident epoch over the whole partitions.
     */
    @Test
    void averagesTheSameParametersAsDl4jStockMaster() {
        for (boolean adam : new boolean[] {true, false}) {
            List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * ROUNDS, BATCH, 7);
            MultiLayerNetwork stock = adam ? SmallNetworks.classifier() : SmallNetworks.classifier(new Sgd(0.1));
            MultiLayerNetwork resident = stock.clone();

            StockAveragingMaster stockMaster = new StockAveragingMaster(SPARK.context(), settings(true, false),
                    BATCH, 1);
            SparkDl4jMultiLayer stockSpark = new SparkDl4jMultiLayer(SPARK.context(), stock,
                    stockMaster.trainingMaster());
            for (int round = 0; round < ROUNDS; round++) {
                List<DataSet> roundData = new ArrayList<>();
                for (int worker = 0; worker < WORKERS; worker++) {
                    int first = (worker * ROUNDS + round) * FREQUENCY;
                    roundData.addAll(data.subList(first, first + FREQUENCY));
                }
                EpochReport report = stockMaster.fitEpoch(stockSpark, SPARK.context().parallelize(roundData, WORKERS),
                        (long) roundData.size() * BATCH);
                assertThat(report.examplesUsedFraction()).isEqualTo(1.0);
            }

            try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, false),
                    new TrajectoryScope("equivalence-" + adam, null, 0), new WeightNormMetrics())) {
                EpochReport report = master.fitEpoch(new SparkDl4jMultiLayer(SPARK.context(), resident, master),
                        SPARK.context().parallelize(data, WORKERS));
                assertThat(report.rounds()).isEqualTo(ROUNDS);
            }

            assertThat(resident.getIterationCount()).isEqualTo(stock.getIterationCount());
            assertClose(resident.params().toFloatVector(), stock.params().toFloatVector(), 1e-5);
            if (adam) {
                assertClose(resident.getUpdater().getStateViewArray().toFloatVector(),
                        stock.getUpdater().getStateViewArray().toFloatVector(), 1e-5);
            }
            assertThat(resident.params().toFloatVector()).isNotEqualTo(SmallNetworks.classifier().params()
                    .toFloatVector());
        }
    }

    /** Two epochs of a dense network with dropout 0.5 after its hidden layer, trained from a fresh build. */
    private static float[] trainedWithDropout(TrainingSettings settings, List<DataSet> data, String run) {
        MultiLayerNetwork network = NetworkFactory.build(new NetworkSpec(SmallNetworks.FEATURES,
                List.of(new LayerSpec(10, "tanh", PlasticitySettings.off(), 0.5)),
                OutputSpec.classification(SmallNetworks.CLASSES), UpdaterSpec.adam(0.01), 3, NetworkSpec.Variant.DENSE));
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings, new TrajectoryScope(run, null, 0),
                new WeightNormMetrics())) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), network, master);
            JavaRDD<DataSet> rdd = SPARK.context().parallelize(data, WORKERS);
            spark.fit(rdd);
            spark.fit(rdd);
            return spark.getNetwork().params().toFloatVector();
        }
    }

    /** The executor threads' generators have drawn the first run's masks when the second starts. */
    @Test
    void trainingWithDropoutAndAugmentationRepeatsExactlyAndAugmentationChangesIt() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * 2, BATCH, 5);
        // The 6 features as images of 2 rows of 3 pixels.
        TrainingSettings augmented = TrainingSettings.resident(WORKERS, BATCH, FREQUENCY, 1)
                .withTrajectories(false).withAugmentation(new AugmentationSettings(3, true, 1));

        float[] first = trainedWithDropout(augmented, data, "augmented-1");
        float[] second = trainedWithDropout(augmented, data, "augmented-2");
        float[] plain = trainedWithDropout(settings(true, false), data, "plain");
        float[] plainAgain = trainedWithDropout(settings(true, false), data, "plain-again");

        assertThat(second).containsExactly(first);
        assertThat(plainAgain).containsExactly(plain);
        assertThat(plain).isNotEqualTo(first);
    }

    @Test
    void fitsEveryMinibatchExactlyOncePerEpochWhenPartitionsAreUneven() {
        List<DataSet> data = new ArrayList<>(SmallNetworks.minibatches(23, BATCH, 11));
        data.add(SmallNetworks.minibatches(1, 5, 12).get(0));
        long examples = 23L * BATCH + 5;
        JavaRDD<DataSet> rdd = SPARK.context().parallelize(data, 3);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, true),
                new TrajectoryScope("exactly-once", null, 0), new WeightNormMetrics())) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master);
            List<EpochReport> reports = List.of(master.fitEpoch(spark, rdd), master.fitEpoch(spark, rdd));

            for (EpochReport report : reports) {
                assertThat(report.examplesUsed()).isEqualTo(examples);
                assertThat(report.examplesUsedFraction()).isEqualTo(1.0);
                assertThat(report.rounds()).isEqualTo(4);
            }
            List<TrajectoryRecord> rows = TrajectoryRows.take(master);
            for (int epoch = 1; epoch <= 2; epoch++) {
                int e = epoch;
                Set<String> workerSteps = rows.stream()
                        .filter(r -> r.epoch() == e && !r.worker().equals(TrajectoryRecord.AVERAGED))
                        .map(r -> r.worker() + "@" + r.step())
                        .collect(Collectors.toSet());
                assertThat(workerSteps).hasSize(24);
            }
        }
    }

    @Test
    void aRebuiltNetworkTrainsBitwiseIdenticallyToAResidentOne() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * ROUNDS, BATCH, 21);
        JavaRDD<DataSet> rdd = SPARK.context().parallelize(data, WORKERS);
        MultiLayerNetwork kept = SmallNetworks.classifier(new Adam(0.02));
        MultiLayerNetwork rebuilt = kept.clone();

        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, false),
                new TrajectoryScope("kept", null, 0), new WeightNormMetrics())) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), kept, master);
            spark.fit(rdd);
            spark.fit(rdd);
        }
        long buildsBefore = ResidentNetworks.builds();
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, false),
                new TrajectoryScope("rebuilt", null, 0), new WeightNormMetrics())) {
            master.addRoundListener((round, averaged) -> ResidentNetworks.release("rebuilt"));
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), rebuilt, master);
            spark.fit(rdd);
            spark.fit(rdd);
        }

        assertThat(ResidentNetworks.builds() - buildsBefore).isEqualTo(2L * ROUNDS * WORKERS);
        assertThat(rebuilt.params().toFloatVector()).isEqualTo(kept.params().toFloatVector());
        assertThat(rebuilt.getUpdater().getStateViewArray().toFloatVector())
                .isEqualTo(kept.getUpdater().getStateViewArray().toFloatVector());
    }

    @Test
    void recordsUniqueWorkerRowsAndOneAveragedRowPerLayerPerRound() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * ROUNDS, BATCH, 31);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, true),
                new TrajectoryScope("rows", "trial-1", 2), new WeightNormMetrics())) {
            List<Double> listenerLosses = new ArrayList<>();
            master.addRoundListener((round, averaged) -> listenerLosses.add(round.meanLoss()));
            new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master)
                    .fit(SPARK.context().parallelize(data, WORKERS));
            List<TrajectoryRecord> rows = TrajectoryRows.take(master);

            Set<TrajectoryKey> keys = new HashSet<>();
            rows.forEach(r -> keys.add(r.key()));
            assertThat(keys).hasSize(rows.size());
            int layers = 2;
            assertThat(rows).hasSize(WORKERS * FREQUENCY * ROUNDS * layers + ROUNDS * layers);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.runId()).isEqualTo("rows");
                assertThat(r.trialId()).isEqualTo("trial-1");
                assertThat(r.task()).isEqualTo(2);
                assertThat(r.loss()).isFinite();
                assertThat(r.metrics().weightNorm()).isPositive();
                assertThat(r.metrics().hebbianNorm()).isNull();
            });

            Map<Integer, List<TrajectoryRecord>> averagedByRound = rows.stream()
                    .filter(r -> r.worker().equals(TrajectoryRecord.AVERAGED))
                    .collect(Collectors.groupingBy(TrajectoryRecord::round));
            assertThat(averagedByRound).hasSize(ROUNDS);
            for (int round = 0; round < ROUNDS; round++) {
                List<TrajectoryRecord> averaged = averagedByRound.get(round);
                assertThat(averaged).extracting(TrajectoryRecord::layer).containsExactly(0, 1);
                assertThat(averaged).allSatisfy(r -> {
                    assertThat(r.step()).isEqualTo((long) FREQUENCY * (r.round() + 1));
                    assertThat(r.drift()).isPositive();
                    assertThat(r.workerDivergence()).isPositive();
                    assertThat(r.executorId()).isEqualTo(ResidentAveragingMaster.DRIVER);
                });
                assertThat(averaged.get(0).loss()).isCloseTo(listenerLosses.get(round), within(1e-12));
            }
            assertThat(rows).filteredOn(r -> !r.worker().equals(TrajectoryRecord.AVERAGED))
                    .allSatisfy(r -> {
                        assertThat(r.drift() != null).isEqualTo(r.step() % FREQUENCY == 0);
                        assertThat(r.workerDivergence()).isNull();
                    });
            assertThat(rows).extracting(TrajectoryRecord::worker).contains("0", "1");
        }
    }

    /**
     * Two workers given the same minibatches end every round in the same state, so the workers' distance
     * from their average is 0 and each worker drifted exactly as far as the average did; with different
     * minibatches the identity behind worker_divergence gives a positive value.
     */
    @Test
    void workersThatTrainAlikeHaveZeroDivergenceAndTheAveragesDrift() {
        List<DataSet> half = SmallNetworks.minibatches(FREQUENCY * ROUNDS, BATCH, 33);
        List<DataSet> twice = new ArrayList<>(half);
        twice.addAll(half);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, true),
                new TrajectoryScope("alike", null, 0), new WeightNormMetrics())) {
            new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master)
                    .fit(SPARK.context().parallelize(twice, WORKERS));
            List<TrajectoryRecord> rows = TrajectoryRows.take(master);

            List<TrajectoryRecord> averaged = rows.stream().filter(r -> r.worker().equals(TrajectoryRecord.AVERAGED))
                    .toList();
            assertThat(averaged).hasSize(ROUNDS * 2);
            for (TrajectoryRecord avg : averaged) {
                assertThat(avg.workerDivergence()).isCloseTo(0.0, within(1e-3 * avg.drift()));
                assertThat(rows).filteredOn(r -> r.drift() != null && r.round() == avg.round()
                                && r.layer() == avg.layer() && !r.worker().equals(TrajectoryRecord.AVERAGED))
                        .hasSize(WORKERS)
                        .allSatisfy(r -> assertThat(r.drift()).isCloseTo(avg.drift(), within(1e-5 * avg.drift())));
            }
        }
    }

    /**
     * Every second step the hidden layer's worker rows carry Dohare et al.'s diagnostics, read with the
     * step's own minibatch; the reading is an inference pass, so training is bit-identical without it.
     */
    @Test
    void diagnosticsEveryOtherStepAreOnTheHiddenLayersRowsAndChangeNothingTrained() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY * ROUNDS, BATCH, 35);
        MultiLayerNetwork probed = SmallNetworks.classifier(new Adam(0.02));
        MultiLayerNetwork plain = probed.clone();
        List<TrajectoryRecord> rows;
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(
                TrainingSettings.resident(WORKERS, BATCH, FREQUENCY, 1).withDiagnosticsEvery(2), new TrajectoryScope("probed", null, 0),
                new WeightNormMetrics())) {
            new SparkDl4jMultiLayer(SPARK.context(), probed, master).fit(SPARK.context().parallelize(data, WORKERS));
            rows = TrajectoryRows.take(master);
        }
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(true, true),
                new TrajectoryScope("plain", null, 0), new WeightNormMetrics())) {
            new SparkDl4jMultiLayer(SPARK.context(), plain, master).fit(SPARK.context().parallelize(data, WORKERS));
        }

        assertThat(probed.params().toFloatVector()).isEqualTo(plain.params().toFloatVector());
        List<TrajectoryRecord> workerRows = rows.stream()
                .filter(r -> !r.worker().equals(TrajectoryRecord.AVERAGED)).toList();
        assertThat(workerRows).filteredOn(r -> r.layer() == 0 && r.step() % 2 == 0).isNotEmpty().allSatisfy(r -> {
            assertThat(r.deadFraction()).isBetween(0.0, 1.0);
            // SmallNetworks' hidden layer has 10 units.
            assertThat(r.effectiveRank()).isBetween(1.0, 10.0);
            assertThat(r.meanAbsWeight()).isPositive();
        });
        assertThat(rows).filteredOn(r -> r.layer() != 0 || r.step() % 2 != 0
                        || r.worker().equals(TrajectoryRecord.AVERAGED))
                .allSatisfy(r -> assertThat(r.deadFraction()).isNull());
    }

    @Test
    void closingReleasesTheResidentNetworks() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY, BATCH, 41);
        ResidentAveragingMaster master = new ResidentAveragingMaster(settings(false, false),
                new TrajectoryScope("released", null, 0), new WeightNormMetrics());
        new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master)
                .fit(SPARK.context().parallelize(data, WORKERS));
        assertThat(ResidentNetworks.held("released")).isEqualTo(WORKERS);
        master.close();
        assertThat(ResidentNetworks.held("released")).isZero();
    }

    @Test
    void stockMasterReportsTheExamplesItDropped() {
        List<DataSet> data = SmallNetworks.minibatches(WORKERS * FREQUENCY + 3, BATCH, 51);
        StockAveragingMaster stockMaster = new StockAveragingMaster(SPARK.context(), settings(true, false), BATCH, 1);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(),
                stockMaster.trainingMaster());
        EpochReport report = stockMaster.fitEpoch(spark, SPARK.context().parallelize(data, WORKERS),
                (long) data.size() * BATCH);
        assertThat(report.examplesUsed()).isEqualTo((long) WORKERS * FREQUENCY * BATCH);
        assertThat(report.examplesUsedFraction()).isLessThan(1.0);
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(tolerance);
    }
}
