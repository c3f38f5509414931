package org.neuroplastic.jobs.train;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.neuroplastic.jobs.config.TrainingSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's own ParameterAveragingTrainingMaster, configured from {@link TrainingSettings}, with what it
 * does not tell measured: how many examples each epoch really fitted (it fits at most
 * {@code averagingFrequency} minibatches per worker per split and drops the rest of a split) and how
 * long its workers spent inside fit.
 *
 * <p>It uses {@link RDDTrainingApproach#Direct} (Export refuses a non-local master when the default
 * file system is the local one) and a fixed RNG seed for the split assignment. Pass the same RDD to
 * every epoch's {@link #fitEpoch}: DL4J persists it itself (do not cache it first).
 */
public final class StockAveragingMaster {

    private final TrainingSettings settings;
    private final ParameterAveragingTrainingMaster master;
    private final LongAccumulator examplesUsed;
    private final CollectionAccumulator<long[]> fitNanos;

    /**
     * @param rddDataSetNumExamples examples in each DataSet of the training RDD (DL4J sizes its splits
     *                              in RDD elements from it)
     * @param rngSeed               seed of DL4J's random assignment of elements to splits
     */
    public StockAveragingMaster(JavaSparkContext sc, TrainingSettings settings, int rddDataSetNumExamples,
                                long rngSeed) {
        this.settings = settings;
        this.examplesUsed = sc.sc().longAccumulator("stock examples used");
        this.fitNanos = sc.sc().collectionAccumulator("stock fit nanos");
        this.master = new ParameterAveragingTrainingMaster.Builder(settings.workers(), rddDataSetNumExamples)
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .saveUpdater(settings.saveUpdater())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .workerPrefetchNumBatches(0)
                .rngSeed(rngSeed)
                .trainingHooks(new FitMeter(examplesUsed, fitNanos))
                .build();
    }

    /** The DL4J training master, to construct the {@link SparkDl4jMultiLayer} with. */
    public ParameterAveragingTrainingMaster trainingMaster() {
        return master;
    }

    /**
     * One epoch of DL4J's parameter averaging over {@code trainingData}; the report says how many of
     * {@code examplesTotal} examples were fitted. {@code rounds} counts DL4J's splits (one averaging
     * each) as the Spark stages in which workers fitted.
     */
    public EpochReport fitEpoch(SparkDl4jMultiLayer spark, JavaRDD<DataSet> trainingData, long examplesTotal) {
        int epoch = spark.getNetwork().getEpochCount();
        examplesUsed.reset();
        fitNanos.reset();
        long start = System.nanoTime();
        spark.fit(trainingData);
        long wall = System.nanoTime() - start;
        Map<Long, Map<Long, Long>> byStageAndPartition = new HashMap<>();
        for (long[] entry : List.copyOf(fitNanos.value())) {
            byStageAndPartition.computeIfAbsent(entry[0], s -> new HashMap<>()).merge(entry[1], entry[2], Long::sum);
        }
        long slowest = 0;
        for (Map<Long, Long> stage : byStageAndPartition.values()) {
            slowest += stage.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
        return new EpochReport(epoch, byStageAndPartition.size(), examplesUsed.value(), examplesTotal, wall, slowest,
                Predictions.NONE);
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** Counts fitted examples and times each fit, per Spark stage and partition. */
    private static final class FitMeter implements TrainingHook {

        private static final long serialVersionUID = 1L;

        private final LongAccumulator examples;
        private final CollectionAccumulator<long[]> nanos;
        private transient long started;

        FitMeter(LongAccumulator examples, CollectionAccumulator<long[]> nanos) {
            this.examples = examples;
            this.nanos = nanos;
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
            started = System.nanoTime();
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
            long elapsed = System.nanoTime() - started;
            TaskContext task = TaskContext.get();
            examples.add(minibatch.numExamples());
            nanos.add(new long[] {task.stageId(), task.partitionId(), elapsed});
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
            started = System.nanoTime();
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
            nanos.add(new long[] {TaskContext.get().stageId(), TaskContext.get().partitionId(),
                    System.nanoTime() - started});
        }
    }
}
