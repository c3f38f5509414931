package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ReplaySettings;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.EncodedMinibatch;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.jobs.trajectory.WeightNormMetrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplayMemoryTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final int FEATURES = SmallNetworks.FEATURES;
    private static final int CLASSES = SmallNetworks.CLASSES;

    /**
     * {@code count} minibatches of {@code size} examples of class {@code label}; an example's first feature is
     * {@code 1000 * label + its index in the task}, so where it came from can be read back.
     */
    private static List<DataSet> task(int label, int count, int size) {
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            float[] x = new float[size * FEATURES];
            float[] y = new float[size * CLASSES];
            for (int i = 0; i < size; i++) {
                x[i * FEATURES] = 1000 * label + b * size + i;
                y[i * CLASSES + label] = 1;
            }
            batches.add(new DataSet(Nd4j.create(x, new long[] {size, FEATURES}, 'c'),
                    Nd4j.create(y, new long[] {size, CLASSES}, 'c')));
        }
        return batches;
    }

    private static DataSet memoryOf(ReplayMemory memory) {
        return EncodedMinibatch.decode(memory.encoded());
    }

    @Test
    void holdsTheExamplesAtTheReservoirsPositionsOfEveryTaskAbsorbed() {
        ReplayMemory memory = new ReplayMemory(new ReplaySettings(10, 4), 42);
        assertThat(memory.encoded()).isNull();

        memory.absorb(0, SPARK.context().parallelize(task(0, 3, 2), 2));
        assertThat(memory.filled()).isEqualTo(6);
        memory.absorb(1, SPARK.context().parallelize(task(1, 5, 4), 3));
        DataSet held = memoryOf(memory);

        assertThat(memory.filled()).isEqualTo(10);
        assertThat(held.numExamples()).isEqualTo(10);
        for (int slot = 0; slot < 10; slot++) {
            long position = memory.positionOf(slot);
            int task = position < 6 ? 0 : 1;
            long index = position < 6 ? position : position - 6;
            assertThat(memory.taskOf(slot)).isEqualTo(task);
            assertThat(held.getFeatures().getFloat(slot, 0)).isEqualTo(1000f * task + index);
            assertThat(held.getLabels().getFloat(slot, task)).isEqualTo(1f);
        }
    }

    @Test
    void aMinibatchOfALaterTaskCarriesTheConfiguredNumberOfPastExamples() {
        ReplayMemory memory = new ReplayMemory(new ReplaySettings(10, 4), 42);
        memory.absorb(0, SPARK.context().parallelize(task(0, 4, 5), 2));
        memory.absorb(1, SPARK.context().parallelize(task(1, 4, 5), 2));
        DataSet held = memoryOf(memory);
        DataSet batch = task(2, 1, 8).get(0);
        DataSet untouched = batch.copy();

        DataSet mixed = ReplayMemory.mixed(batch, held, 3, 42, 17, 1);

        assertThat(mixed.numExamples()).isEqualTo(8 + 3);
        assertThat(mixed.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8),
                org.nd4j.linalg.indexing.NDArrayIndex.all())).isEqualTo(batch.getFeatures());
        Set<Float> replayed = new HashSet<>();
        Set<Float> heldFirstFeatures = new HashSet<>();
        for (int slot = 0; slot < 10; slot++) {
            heldFirstFeatures.add(held.getFeatures().getFloat(slot, 0));
        }
        for (int row = 8; row < 11; row++) {
            float first = mixed.getFeatures().getFloat(row, 0);
            assertThat(first).isLessThan(2000f);
            assertThat(heldFirstFeatures).contains(first);
            replayed.add(first);
            assertThat(mixed.getLabels().getFloat(row, 2)).isZero();
        }
        assertThat(replayed).as("drawn without replacement").hasSize(3);
        assertThat(batch).isEqualTo(untouched);
        assertThat(ReplayMemory.mixed(batch, held, 3, 42, 17, 1)).isEqualTo(mixed);
        assertThat(ReplayMemory.mixed(batch, held, 3, 42, 18, 1)).isNotEqualTo(mixed);
        assertThat(ReplayMemory.mixed(batch, held, 20, 42, 17, 1).numExamples()).as("at most the memory").isEqualTo(18);
        assertThat(ReplayMemory.mixed(batch, null, 3, 42, 17, 1)).isSameAs(batch);
    }

    /**
     * With one worker, parameter averaging is the worker's own training: the resident master must then reach
     * what fitting, on the driver, each minibatch with the examples {@link ReplayMemory#mixed} draws at its
     * step reaches, and not what plain minibatches reach.
     */
    @Test
    void theWorkersFitTheMixedMinibatches() {
        ReplayMemory memory = new ReplayMemory(new ReplaySettings(12, 5), 42);
        memory.absorb(0, SPARK.context().parallelize(SmallNetworks.minibatches(4, 8, 3), 2));
        List<DataSet> later = SmallNetworks.minibatches(6, 8, 4);
        TrainingSettings settings = TrainingSettings.resident(1, 8, 3, 1).withTrajectories(false)
                .withReplay(new ReplaySettings(12, 5));
        MultiLayerNetwork reference = SmallNetworks.classifier();
        MultiLayerNetwork plain = SmallNetworks.classifier();
        float[] distributed;
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                new TrajectoryScope("replayed", null, 1), new WeightNormMetrics())) {
            master.replayFrom(memory.encoded());
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SPARK.context(), SmallNetworks.classifier(), master);
            spark.fit(SPARK.context().parallelize(later, 1));
            distributed = spark.getNetwork().params().toFloatVector();
        }
        DataSet held = memoryOf(memory);
        long seed = reference.getDefaultConfiguration().getSeed();
        for (int step = 1; step <= later.size(); step++) {
            reference.fit(ReplayMemory.mixed(later.get(step - 1), held, 5, seed, step, 0));
            plain.fit(later.get(step - 1));
        }

        float[] expected = reference.params().toFloatVector();
        for (int i = 0; i < expected.length; i++) {
            assertThat(distributed[i]).isCloseTo(expected[i], within(1e-5f));
        }
        assertThat(distributed).isNotEqualTo(plain.params().toFloatVector());
    }

    @Test
    void theMemoryIsAFunctionOfTheSeedAndTheTasksWhateverThePartitions() {
        ReplayMemory two = new ReplayMemory(new ReplaySettings(7, 2), 5);
        two.absorb(0, SPARK.context().parallelize(task(0, 6, 3), 2));
        ReplayMemory three = new ReplayMemory(new ReplaySettings(7, 2), 5);
        three.absorb(0, SPARK.context().parallelize(task(0, 6, 3), 3));
        ReplayMemory otherSeed = new ReplayMemory(new ReplaySettings(7, 2), 6);
        otherSeed.absorb(0, SPARK.context().parallelize(task(0, 6, 3), 2));

        assertThat(memoryOf(three)).isEqualTo(memoryOf(two));
        assertThat(memoryOf(otherSeed)).isNotEqualTo(memoryOf(two));
    }
}
