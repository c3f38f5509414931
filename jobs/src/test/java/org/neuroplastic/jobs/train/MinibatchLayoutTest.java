package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.LocalSpark;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class MinibatchLayoutTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    /**
     * DataSets of mixed sizes whose first feature is the example's running index; 2,048 features, so that
     * parallelized partitions of two or more carry data as a real data set's do (over 64 KB).
     */
    private static List<DataSet> numbered(int... sizes) {
        List<DataSet> dataSets = new ArrayList<>();
        int index = 0;
        for (int size : sizes) {
            DataSet d = new DataSet(Nd4j.zeros(DataType.FLOAT, size, 2048), Nd4j.zeros(DataType.FLOAT, size, 3));
            for (int i = 0; i < size; i++) {
                d.getFeatures().putScalar(i, 0, index++);
            }
            dataSets.add(d);
        }
        return dataSets;
    }

    /** The same DataSets in partitions that only name them: the DataSets travel once, in a broadcast. */
    private static JavaRDD<DataSet> referenced(List<DataSet> dataSets, int partitions) {
        return MinibatchLayout.distribute(SPARK.context(), dataSets, partitions);
    }

    private static List<List<Integer>> indicesByPartition(MinibatchLayout layout) {
        return layout.minibatches().glom().collect().stream().map(MinibatchLayoutTest::indices).toList();
    }

    private static List<Integer> indices(List<DataSet> dataSets) {
        List<Integer> indices = new ArrayList<>();
        for (DataSet d : dataSets) {
            INDArray first = d.getFeatures().getColumn(0);
            for (int i = 0; i < first.length(); i++) {
                indices.add(first.getInt(i));
            }
        }
        return indices;
    }

    @Test
    void spreadsUnevenPartitionsIntoOrderedWorkerRangesOfFullMinibatches() {
        List<DataSet> source = numbered(4, 8, 3, 8, 8, 5, 8, 2, 8, 8);
        MinibatchLayout layout = MinibatchLayout.arrange(SPARK.context().parallelize(source, 3), 2, 8,
                StorageLevel.MEMORY_ONLY());

        List<List<DataSet>> partitions = layout.minibatches().glom().collect();
        assertThat(partitions).hasSize(2);
        List<DataSet> all = new ArrayList<>();
        for (List<DataSet> partition : partitions) {
            for (int i = 0; i < partition.size() - 1; i++) {
                assertThat(partition.get(i).numExamples()).isEqualTo(8);
            }
            all.addAll(partition);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 62; i++) {
            expected.add(i);
        }
        assertThat(indices(all)).isEqualTo(expected);
        assertThat(layout.totalExamples()).isEqualTo(62);
        assertThat(layout.minibatchesPerPartition()).containsExactly(partitions.get(0).size(), partitions.get(1).size());
        layout.minibatches().unpersist(false);
    }

    @Test
    void cutsTheLineageToTheSourcePartitions() {
        List<DataSet> source = numbered(8, 8, 8, 8, 8);
        MinibatchLayout layout = MinibatchLayout.arrange(SPARK.context().parallelize(source, 2), 2, 8,
                StorageLevel.MEMORY_ONLY());
        assertThat(layout.minibatchesPerPartition()).containsExactly(3, 2);
        assertThat(layout.rounds(2)).isEqualTo(2);
        assertThat(indices(layout.minibatches().collect())).hasSize(40).isSorted();
        assertThat(layout.minibatches().partitions().get(0).getClass().getSimpleName())
                .doesNotContain("ParallelCollection");
        layout.minibatches().unpersist(false);
    }

    @Test
    void computesTheSourceOnce() {
        List<DataSet> source = numbered(8, 8, 3, 8, 8, 8, 5);
        LongAccumulator computed = SPARK.context().sc().longAccumulator("source elements computed");
        JavaRDD<DataSet> counted = SPARK.context().parallelize(source, 3).map(d -> {
            computed.add(1);
            return d;
        });
        MinibatchLayout layout = MinibatchLayout.arrange(counted, 2, 8, StorageLevel.MEMORY_ONLY());
        assertThat(layout.totalExamples()).isEqualTo(48);
        assertThat(computed.value()).isEqualTo(source.size());
        layout.minibatches().unpersist(false);
    }

    @Test
    void runsOneStageOverTheSourcePartitions() throws Exception {
        JavaRDD<DataSet> source = SPARK.context().parallelize(numbered(8, 8, 3, 8, 8, 8, 5), 3);
        List<Integer> stagesOverSource = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                StageInfo stage = submitted.stageInfo();
                if (JavaConverters.seqAsJavaList(stage.rddInfos()).stream().anyMatch(r -> r.id() == source.id())) {
                    stagesOverSource.add(stage.stageId());
                }
            }
        };
        SPARK.context().sc().addSparkListener(listener);
        try {
            MinibatchLayout layout = MinibatchLayout.arrange(source, 2, 8, StorageLevel.MEMORY_ONLY());
            SPARK.context().sc().listenerBus().waitUntilEmpty();
            assertThat(stagesOverSource).hasSize(1);
            layout.minibatches().unpersist(false);
        } finally {
            SPARK.context().sc().removeSparkListener(listener);
        }
    }

    @Test
    void partitionsOfParallelizedDataSetsCarryDataAndThoseNamingABroadcastsDoNot() {
        List<DataSet> source = numbered(8, 8, 3, 8, 8, 8, 5);
        assertThat(MinibatchLayout.partitionsCarryData(SPARK.context().parallelize(source, 3).map(d -> d).rdd())).isTrue();
        assertThat(MinibatchLayout.partitionsCarryData(referenced(source, 3).rdd())).isFalse();
    }

    @Test
    void aSourceWhosePartitionsHoldNoDataIsCutWithoutAShuffleIntoTheSameLayout() throws Exception {
        List<DataSet> source = numbered(4, 8, 3, 8, 8, 5, 8, 2, 8, 8);
        MinibatchLayout shuffled = MinibatchLayout.arrange(SPARK.context().parallelize(source, 3), 2, 8,
                StorageLevel.MEMORY_ONLY());
        LongAccumulator computed = SPARK.context().sc().longAccumulator("referenced elements computed");
        JavaRDD<DataSet> counted = referenced(source, 3).map(d -> {
            computed.add(1);
            return d;
        });
        List<Integer> shuffleStages = new CopyOnWriteArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                if (submitted.stageInfo().shuffleDepId().isDefined()) {
                    shuffleStages.add(submitted.stageInfo().stageId());
                }
            }
        };
        SPARK.context().sc().addSparkListener(listener);
        try {
            MinibatchLayout narrow = MinibatchLayout.arrange(counted, 2, 8, StorageLevel.MEMORY_ONLY());
            SPARK.context().sc().listenerBus().waitUntilEmpty();
            assertThat(shuffleStages).isEmpty();
            assertThat(computed.value()).isEqualTo(source.size());
            assertThat(indicesByPartition(narrow)).isEqualTo(indicesByPartition(shuffled));
            assertThat(narrow.minibatchesPerPartition()).containsExactly(shuffled.minibatchesPerPartition());
            assertThat(narrow.examplesPerPartition()).containsExactly(shuffled.examplesPerPartition());
            narrow.minibatches().unpersist(false);
        } finally {
            SPARK.context().sc().removeSparkListener(listener);
            shuffled.minibatches().unpersist(false);
        }
    }
}
