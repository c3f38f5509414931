package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;
import org.neuroplastic.model.consolidation.GradientPenalty;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Elastic Weight Consolidation between two tasks trained by the resident master in local[2]. */
class ConsolidationBoundaryTest {

    private static final int WORKERS = 2;
    private static final int BATCH = 8;
    private static final int FREQUENCY = 3;
    private static final int EPOCHS_PER_TASK = 4;
    private static final int FISHER_EXAMPLES = 64;

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

    private record TwoTasks(double driftFromAnchor, double firstTaskAccuracy, List<Integer> samplesAsked) {
    }

    /** Trains task 0, calls the boundary as the train job does, trains task 1. */
    private static TwoTasks trainTwoTasks(ConsolidationSettings consolidation, String runId) {
        TrainingSettings settings = TrainingSettings.resident(WORKERS, BATCH, FREQUENCY, EPOCHS_PER_TASK)
                .withTrajectories(false).withConsolidation(consolidation);
        List<DataSet> firstTask = task(0, 24, 7);
        JavaRDD<DataSet> first = SPARK.context().parallelize(firstTask, WORKERS);
        JavaRDD<DataSet> second = SPARK.context().parallelize(task(1, 24, 8), WORKERS);
        MultiLayerNetwork network = SmallNetworks.classifier();
        TaskBoundary boundary = ConsolidationBoundary.of(consolidation, 5);
        List<Integer> samplesAsked = new ArrayList<>();
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope(runId, null, 0), new WeightNormMetrics())) {
            SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(SPARK.context(), network, master);
            master.startTask(0, null);
            for (int epoch = 0; epoch < EPOCHS_PER_TASK; epoch++) {
                trainer.fit(first);
            }
            GradientPenalty penalty = boundary.afterTask(0, network, maxExamples -> {
                samplesAsked.add(maxExamples);
                return firstTask;
            });
            INDArray anchor = network.params().dup();
            master.startTask(1, penalty);
            for (int epoch = 0; epoch < EPOCHS_PER_TASK; epoch++) {
                trainer.fit(second);
            }
            return new TwoTasks(network.params().distance2(anchor), accuracy(network, DataSet.merge(task(0, 10, 99))),
                    samplesAsked);
        }
    }

    private static double accuracy(MultiLayerNetwork network, DataSet examples) {
        INDArray predicted = network.output(examples.getFeatures()).argMax(1);
        INDArray actual = examples.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    @Test
    void ewcOnTheWorkersKeepsTheFirstTaskWhereNaiveFineTuningForgetsIt() {
        TwoTasks naive = trainTwoTasks(ConsolidationSettings.NONE, "consolidation-none");
        TwoTasks ewc = trainTwoTasks(ConsolidationSettings.elastic(ConsolidationSettings.Method.EWC, 100,
                FISHER_EXAMPLES), "consolidation-ewc");

        assertThat(naive.samplesAsked()).isEmpty();
        assertThat(ewc.samplesAsked()).containsExactly(FISHER_EXAMPLES);
        assertThat(ewc.driftFromAnchor()).isLessThan(naive.driftFromAnchor() * 0.6);
        assertThat(ewc.firstTaskAccuracy()).isGreaterThan(naive.firstTaskAccuracy() + 0.2);
    }

    @Test
    void naiveFineTuningHasNoBoundaryWork() {
        assertThat(ConsolidationBoundary.of(ConsolidationSettings.NONE, 1)).isSameAs(TaskBoundary.NONE);
    }
}
