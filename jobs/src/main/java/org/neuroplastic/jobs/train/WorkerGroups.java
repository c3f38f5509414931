package org.neuroplastic.jobs.train;

import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.TaskLocation;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.TrainingSettings;
import scala.Option;
import scala.collection.Seq;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The workers of an averaging round grouped into its map tasks. With no more workers than the cluster's task
 * slots every worker is a task of its own. With more, the tasks would run in waves anyway, so each task trains
 * {@link TrainingSettings#workersPerTaskOn} consecutive workers one after the other and sends the shuffle their
 * sum once ({@link StateShards#encodeSum}) instead of every worker's state: the bytes a round writes through the
 * shuffle, and the reducers' work, then grow with the task slots, not the workers (64 workers on 2 slots
 * shuffled 32 times less). The groups are a function of the worker count and the slot count alone, so a run on the same
 * cluster shape, resumed or not, adds the same numbers in the same order; on another shape the sum is grouped
 * differently and may differ in the last bits of float32, unless {@code training.workers_per_task} fixes the
 * group size.
 */
final class WorkerGroups {

    private WorkerGroups() {
    }

    /** One worker's minibatches of the round: its partition of the training data and what it fits. */
    record Member(int partition, List<DataSet> minibatches) {
    }

    /**
     * The round's members from {@code minibatches} (one partition per worker): for each worker the {@code count}
     * minibatches from {@code first} of its partition, in groups of {@code workersPerTask} consecutive workers,
     * one group per partition of the result.
     */
    static JavaRDD<Member> of(JavaRDD<DataSet> minibatches, int first, int count, int workersPerTask) {
        JavaRDD<Member> members = ScalaRdd.mapPartitionsWithIndex(minibatches, new RoundShare(first, count));
        if (workersPerTask == 1) {
            return members;
        }
        int groups = (members.getNumPartitions() + workersPerTask - 1) / workersPerTask;
        RDD<Member> grouped = members.rdd().coalesce(groups, false,
                Option.apply(new ConsecutiveGroups(workersPerTask)), null);
        return new JavaRDD<>(grouped, members.classTag());
    }

    /** A worker's round share of its partition, as one {@link Member}. */
    private static final class RoundShare implements Function2<Integer, Iterator<DataSet>, Iterator<Member>> {
        private static final long serialVersionUID = 1L;
        private final int first;
        private final int count;

        RoundShare(int first, int count) {
            this.first = first;
            this.count = count;
        }

        @Override
        public Iterator<Member> call(Integer partition, Iterator<DataSet> data) {
            for (int skipped = 0; skipped < first && data.hasNext(); skipped++) {
                data.next();
            }
            List<DataSet> round = new ArrayList<>(count);
            while (round.size() < count && data.hasNext()) {
                round.add(data.next());
            }
            return List.of(new Member(partition, round)).iterator();
        }
    }

    /**
     * Groups of {@code size} consecutive partitions, in order, each preferring the host of its first partition
     * (where its cached minibatches, and so its resident networks, are).
     */
    // Spark requires a Scala Serializable coalescer (Scala 2.12's, which extends Java's).
    private static final class ConsecutiveGroups implements PartitionCoalescer, scala.Serializable {
        private static final long serialVersionUID = 1L;
        private final int size;

        ConsecutiveGroups(int size) {
            this.size = size;
        }

        @Override
        public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
            Partition[] partitions = parent.partitions();
            List<PartitionGroup> groups = new ArrayList<>();
            for (int from = 0; from < partitions.length; from += size) {
                Seq<TaskLocation> locations = parent.context().getPreferredLocs(parent, from);
                PartitionGroup group = new PartitionGroup(locations.isEmpty() ? Option.empty()
                        : Option.apply(locations.head().host()));
                for (int p = from; p < Math.min(partitions.length, from + size); p++) {
                    group.partitions().$plus$eq(partitions[p]);
                }
                groups.add(group);
            }
            return groups.toArray(PartitionGroup[]::new);
        }
    }
}
