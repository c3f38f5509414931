package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Cuts a partition's stream of DataSets into minibatches of exactly {@code batchSize} examples, in
 * order; only the partition's last minibatch may be smaller. A DataSet that already has the right
 * size passes through uncopied.
 */
final class Rebatching implements FlatMapFunction<Iterator<DataSet>, DataSet> {

    private static final long serialVersionUID = 1L;

    private final int batchSize;

    Rebatching(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<DataSet> call(Iterator<DataSet> source) {
        List<DataSet> out = new ArrayList<>();
        List<DataSet> pending = new ArrayList<>();
        int pendingExamples = 0;
        while (source.hasNext()) {
            DataSet next = source.next();
            if (pending.isEmpty() && next.numExamples() == batchSize) {
                out.add(next);
                continue;
            }
            pending.add(next);
            pendingExamples += next.numExamples();
            while (pendingExamples >= batchSize) {
                DataSet merged = pending.size() == 1 ? pending.get(0) : DataSet.merge(pending);
                out.add(slice(merged, 0, batchSize));
                pending.clear();
                pendingExamples -= batchSize;
                if (pendingExamples > 0) {
                    pending.add(slice(merged, batchSize, batchSize + pendingExamples));
                }
            }
        }
        if (!pending.isEmpty()) {
            out.add(pending.size() == 1 ? pending.get(0) : DataSet.merge(pending));
        }
        return out.iterator();
    }

    private static DataSet slice(DataSet dataSet, int from, int to) {
        return new DataSet(dataSet.getFeatures().get(
                NDArrayIndex.interval(from, to)).dup(),
                dataSet.getLabels().get(NDArrayIndex.interval(from, to)).dup());
    }
}
