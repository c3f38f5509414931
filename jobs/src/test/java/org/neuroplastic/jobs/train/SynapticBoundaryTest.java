package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.neuroplastic.model.consolidation.GradientPenalty;
import org.neuroplastic.model.consolidation.PathIntegral;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Synaptic Intelligence between tasks trained by the resident master in local[2]. */
class SynapticBoundaryTest {

    private static final int BATCH = 8;
    private static final int FREQUENCY = 3;
    private static final int EPOCHS_PER_TASK = 4;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /** Task 1 relabels task 0's kind of inputs: class c becomes c + 1 (mod 3), so learning it overwrites task 0. */
    private static List<DataSet> task(int task, int minibatches, long seed) {
        List<DataSet> batches = SmallNetworks.minibatches(minibatches, BATCH, seed);
        if (task == 0) {
            return batches;
        }
        List<DataSet> relabelled = new ArrayList<>();
        for (DataSet batch : batches) {
            INDArray labels = batch.getLabels();
            INDArray shifted = labels.dup();
            for (int c = 0; c < SmallNetworks.CLASSES; c++) {
                shifted.putColumn((c + 1) % SmallNetworks.CLASSES, labels.getColumn(c));
            }
            relabelled.add(new DataSet(batch.getFeatures(), shifted));
        }
        return relabelled;
    }

    private static TrainingSettings settings(int workers, ConsolidationSettings consolidation) {
        return TrainingSettings.resident(workers, BATCH, FREQUENCY, EPOCHS_PER_TASK).withTrajectories(false)
                .withConsolidation(consolidation);
    }

    /**
     * With one worker the averaged path integral is that worker's: summed over the task's rounds it equals the
     * path integral of the same minibatches fitted in one JVM, and eq. 5 turns it into the same importance.
     */
    @Test
    void oneWorkersPathIntegralThroughTheShuffleEqualsSingleJvmTraining() {
        ConsolidationSettings si = ConsolidationSettings.synapticIntelligence(1.0, 0.1);
        List<DataSet> data = task(0, 12, 7);
        MultiLayerNetwork single = SmallNetworks.classifier(new Sgd(0.1));
        MultiLayerNetwork distributed = single.clone();
        INDArray start = single.params().dup();
        PathIntegral integral = PathIntegral.attach(single);
        for (int epoch = 0; epoch < 2; epoch++) {
            for (DataSet batch : data) {
                single.fit(batch);
            }
        }
        float[] expected = integral.values(single);

        SynapticBoundary boundary = (SynapticBoundary) ConsolidationBoundary.of(si, 5);
        float[] collected = new float[expected.length];
        List<Integer> rounds = new ArrayList<>();
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(1, si),
                new TrajectoryScope("si-one-worker", null, 0), new WeightNormMetrics())) {
            SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(SPARK.context(), distributed, master);
            boundary.start(distributed);
            master.collectPathIntegral(round -> {
                rounds.add(round.length);
                for (int k = 0; k < round.length; k++) {
                    collected[k] += round[k];
                }
                boundary.accept(round);
            });
            master.startTask(0, null);
            JavaRDD<DataSet> rdd = SPARK.context().parallelize(data, 1);
            for (int epoch = 0; epoch < 2; epoch++) {
                trainer.fit(rdd);
            }
            boundary.afterTask(0, distributed, max -> data);
        }

        assertThat(rounds).hasSize(2 * 4).allMatch(length -> length == expected.length);
        assertThat(distributed.params().toDoubleVector())
                .containsExactly(single.params().toDoubleVector(), within(1e-5));
        double largest = 0;
        for (int k = 0; k < expected.length; k++) {
            assertThat(collected[k]).isCloseTo(expected[k], within(1e-5f + 1e-3f * Math.abs(expected[k])));
            largest = Math.max(largest, expected[k]);
        }
        assertThat(largest).isGreaterThan(1e-3);
        double[] end = distributed.params().toDoubleVector();
        double[] begin = start.toDoubleVector();
        double[] importance = boundary.importance();
        for (int k = 0; k < expected.length; k++) {
            double delta = end[k] - begin[k];
            assertThat(importance[k]).isCloseTo(Math.max(0, collected[k]) / (delta * delta + 0.1), within(1e-6));
        }
    }

    private record TwoTasks(double driftFromAnchor, double firstTaskAccuracy) {
    }

    private static TwoTasks trainTwoTasks(ConsolidationSettings consolidation, String runId) {
        JavaRDD<DataSet> first = SPARK.context().parallelize(task(0, 24, 7), 2);
        JavaRDD<DataSet> second = SPARK.context().parallelize(task(1, 24, 8), 2);
        MultiLayerNetwork network = SmallNetworks.classifier();
        TaskBoundary boundary = ConsolidationBoundary.of(consolidation, 5);
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings(2, consolidation),
                new TrajectoryScope(runId, null, 0), new WeightNormMetrics())) {
            SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(SPARK.context(), network, master);
            if (boundary instanceof SynapticBoundary synaptic) {
                synaptic.start(network);
                master.collectPathIntegral(synaptic);
            }
            master.startTask(0, null);
            for (int epoch = 0; epoch < EPOCHS_PER_TASK; epoch++) {
                trainer.fit(first);
            }
            GradientPenalty penalty = boundary.afterTask(0, network, max -> List.of());
            INDArray anchor = network.params().dup();
            master.startTask(1, penalty);
            for (int epoch = 0; epoch < EPOCHS_PER_TASK; epoch++) {
                trainer.fit(second);
            }
            DataSet test = DataSet.merge(task(0, 10, 99));
            INDArray predicted = network.output(test.getFeatures()).argMax(1);
            double accuracy = predicted.eq(test.getLabels().argMax(1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
            return new TwoTasks(network.params().distance2(anchor), accuracy);
        }
    }

    @Test
    void siOnTheWorkersKeepsTheFirstTaskWhereNaiveFineTuningForgetsIt() {
        TwoTasks naive = trainTwoTasks(ConsolidationSettings.NONE, "si-none");
        TwoTasks si = trainTwoTasks(ConsolidationSettings.synapticIntelligence(10, 0.1), "si-two-workers");

        assertThat(si.driftFromAnchor()).isLessThan(naive.driftFromAnchor() * 0.6);
        assertThat(si.firstTaskAccuracy()).isGreaterThan(naive.firstTaskAccuracy() + 0.2);
    }
}
