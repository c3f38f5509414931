package org.neuroplastic.jobs.train;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/** A task's training data, collected to the driver on demand. */
@FunctionalInterface
public interface TaskSample {

    /**
     * The task's first training minibatches (in the data set's order, the size of
     * {@code training.batch_size_per_worker}) holding at least {@code maxExamples} examples in all, or
     * every minibatch when the task has fewer. Each call runs a Spark job; the DataSets are fresh copies.
     */
    List<DataSet> minibatches(int maxExamples);
}
