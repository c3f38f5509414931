package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.EncodedMinibatch;
import org.neuroplastic.jobs.data.TaskData;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.model.network.NativeMemory;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Every task's held-out minibatches, kept on the executors (built once, cached, read after every epoch) and
 * evaluated there with the network's parameters broadcast: the driver receives, per group (below), a loss
 * sum, an example count and a correct count, never an example. So the held-out split may be as
 * large as the cluster's memory holds, not the driver's. Per epoch the driver sends one copy of the
 * parameters (a broadcast, 4 bytes a parameter) and receives 3 numbers per group.
 * <p>
 * The minibatches are built in one partition per task, split and partition of the data set (a group), and
 * evaluated in at most as many partitions as the cluster has task slots, each holding whole groups: a data set
 * of 55 partitions with 5 tasks and a validation split is 550 groups, and one Spark task per group cost
 * about 4 ms of launch and network set-up each per epoch, most of a continual run's evaluation time. Each
 * group is evaluated from the broadcast parameters (the copy's parameters, plastic state included, reset
 * when a group begins), so a layer whose state moves at inference adapts over a group's minibatches in
 * order, whatever partition holds the group. The groups' sums are added on the driver in group order, so
 * the result depends neither on which task finished first nor on the number of slots.
 */
final class HeldOutSplit implements AutoCloseable {

    /**
     * One minibatch of a task's held-out rows, encoded ({@link EncodedMinibatch}), so that the cache counts and
     * spills its bytes. A class, not a record: Spark's Kryo 4 cannot build records.
     */
    private static final class TaskBatch implements Serializable {
        private final int task;
        private final int group;
        private final byte[] batch;

        TaskBatch(int task, int group, byte[] batch) {
            this.task = task;
            this.group = group;
            this.batch = batch;
        }
    }

    /** One group's sums: its task slot's (a group holds one slot; a class for the same reason). */
    private static final class PartialSums implements Serializable {
        private final int group;
        private final int task;
        private double loss;
        private long examples;
        private long correct;

        PartialSums(int group, int task) {
            this.group = group;
            this.task = task;
        }

        void add(Predictions predictions) {
            loss += predictions.lossSum();
            examples += predictions.examples();
            correct += predictions.correct();
        }
    }

    /**
     * One epoch's evaluation: every task's test split, and every task's validation split
     * ({@code data.validation_fraction}; empty without one).
     */
    record Evaluated(List<HeldOutEvaluation> byTask, List<HeldOutEvaluation> validationByTask) {
    }

    private final JavaSparkContext sc;
    private final JavaRDD<TaskBatch> batches;
    /** Test splits, one per task, slots {@code 0 .. tasks-1}; with a validation split, task t's is slot {@code tasks + t}. */
    private final int tasks;
    private final boolean validation;
    private final boolean classification;
    private final int[][] classes;

    private HeldOutSplit(JavaSparkContext sc, JavaRDD<TaskBatch> batches, int tasks, boolean validation,
                         boolean classification, int[][] classes) {
        this.sc = sc;
        this.batches = batches;
        this.tasks = tasks;
        this.validation = validation;
        this.classification = classification;
        this.classes = classes;
    }

    /**
     * The held-out split of every task of {@code data}, and each task's validation split when it has one, in
     * minibatches of {@code batchSize}, not yet built. A task's validation split is scored over the same classes
     * as its test split.
     */
    static HeldOutSplit of(JavaSparkContext sc, TaskData data, int batchSize) {
        JavaRDD<TaskBatch> all = null;
        boolean validation = data.data().validationRows() > 0;
        List<String> splits = validation ? List.of(DatasetSchema.TEST, DatasetSchema.VALIDATION) : List.of(DatasetSchema.TEST);
        int[][] classes = new int[data.tasks() * splits.size()][];
        for (int s = 0; s < splits.size(); s++) {
            for (int t = 0; t < data.tasks(); t++) {
                int slot = s * data.tasks() + t;
                // A group is a partition of this task's split; numbered as the union of all of them would be.
                int firstGroup = all == null ? 0 : all.getNumPartitions();
                JavaRDD<TaskBatch> ofTask = data.heldOutMinibatches(t, splits.get(s), batchSize)
                        .mapPartitionsWithIndex((partition, batches) -> new Iterator<TaskBatch>() {
                            @Override
                            public boolean hasNext() {
                                return batches.hasNext();
                            }

                            @Override
                            public TaskBatch next() {
                                return new TaskBatch(slot, firstGroup + partition,
                                        EncodedMinibatch.encode(batches.next()));
                            }
                        }, true);
                all = all == null ? ofTask : all.union(ofTask);
                classes[slot] = data.evaluatedClasses(t);
            }
        }
        // Without a shuffle, coalesce never adds partitions: fewer groups than slots stay as they are.
        JavaRDD<TaskBatch> grouped = all.coalesce(sc.defaultParallelism());
        grouped.persist(StorageLevel.MEMORY_AND_DISK());
        return new HeldOutSplit(sc, grouped, data.tasks(), validation, data.data().target().isClassification(),
                classes);
    }

    /**
     * Every task's evaluation by {@code network} in inference mode, on copies of it: the network's plastic state
     * is left as it is whatever its {@code at_inference} setting. In a layer whose state moves at inference,
     * each partition's copy adapts over that partition's minibatches in order ({@code never}), or from the
     * same state for every minibatch ({@code per_batch}).
     */
    List<HeldOutEvaluation> evaluate(MultiLayerNetwork network) {
        return evaluateSplits(network).byTask();
    }

    /** As {@link #evaluate}, with each task's validation split's evaluation beside its test split's (one pass over both). */
    Evaluated evaluateSplits(MultiLayerNetwork network) {
        String configuration = network.getLayerWiseConfigurations().toJson();
        ByteBuffer parameters = Vectors.allocate(4 * (int) network.params().length());
        Vectors.put(parameters, network.params());
        // Bytes, not an INDArray: Spark closes an AutoCloseable broadcast value when it is destroyed.
        Broadcast<byte[]> state = sc.broadcast(parameters.array());
        try {
            boolean scoreClasses = classification;
            int[][] evaluatedClasses = classes;
            List<PartialSums> groupSums = batches.mapPartitions(taskBatches -> {
                if (!taskBatches.hasNext()) {
                    return Collections.emptyIterator();
                }
                MultiLayerNetwork copy = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
                copy.init();
                List<PartialSums> groups = new ArrayList<>();
                PartialSums sums = null;
                try {
                    while (taskBatches.hasNext()) {
                        TaskBatch next = taskBatches.next();
                        if (sums == null || sums.group != next.group) {
                            Vectors.get(Vectors.wrap(state.value()), copy.params());
                            sums = new PartialSums(next.group, next.task);
                            groups.add(sums);
                        }
                        sums.add(Predictions.of(copy, EncodedMinibatch.decode(next.batch), scoreClasses,
                                evaluatedClasses[next.task]));
                    }
                } finally {
                    NativeMemory.release(copy);
                }
                return groups.iterator();
            }).collect();
            return total(groupSums.stream().sorted(Comparator.comparingInt(sums -> sums.group)).toList());
        } finally {
            state.destroy();
        }
    }

    /** Each slot's evaluation: its groups' sums added in group order ({@code groups} is sorted by group). */
    private Evaluated total(List<PartialSums> groups) {
        int slots = tasks * (validation ? 2 : 1);
        double[] loss = new double[slots];
        long[] examples = new long[slots];
        long[] correct = new long[slots];
        for (PartialSums sums : groups) {
            loss[sums.task] += sums.loss;
            examples[sums.task] += sums.examples;
            correct[sums.task] += sums.correct;
        }
        List<HeldOutEvaluation> bySlot = new ArrayList<>(slots);
        for (int t = 0; t < slots; t++) {
            bySlot.add(new Predictions(examples[t], correct[t], loss[t]).asEvaluation(classification));
        }
        return new Evaluated(List.copyOf(bySlot.subList(0, tasks)), List.copyOf(bySlot.subList(tasks, bySlot.size())));
    }

    /** The Spark tasks an evaluation runs: at most the cluster's task slots. */
    int partitions() {
        return batches.getNumPartitions();
    }

    @Override
    public void close() {
        batches.unpersist(false);
    }
}
