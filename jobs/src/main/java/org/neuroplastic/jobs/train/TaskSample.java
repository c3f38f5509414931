package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/** A task's training data, collected to the driver on demand. */
@FunctionalInterface
public interface TaskSample {

    /**
     * The task's first training minibatches (in the data set's order, the size of
     * {@code training.batch_size_per_worker}) holding at least {@code maxExamples} examples in all, or
     * every minibatch when the task has fewer. Each call runs a Spark job; the DataSets are fresh copies.
     */
    List<DataSet> minibatches(int maxExamples);

    /**
     * The sample of {@code training}: its first minibatches holding at least {@code maxExamples} examples. Every
     * partition may end with one short minibatch, so taking one more minibatch per partition than full ones
     * would need is always enough.
     */
    static TaskSample of(JavaRDD<DataSet> training, int batchSize) {
        return maxExamples -> {
            int wanted = (maxExamples + batchSize - 1) / batchSize + training.getNumPartitions();
            List<DataSet> sample = new ArrayList<>();
            long examples = 0;
            for (DataSet batch : training.take(wanted)) {
                if (examples >= maxExamples) {
                    break;
                }
                sample.add(batch);
                examples += batch.numExamples();
            }
            return sample;
        };
    }
}
