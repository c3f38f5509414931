package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.ReplaySettings;
import org.neuroplastic.jobs.data.EncodedMinibatch;
import org.neuroplastic.model.network.StepSeed;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The episodic memory of experience replay ({@link ReplaySettings}; Chaudhry et al. 2019), kept on the driver:
 * one {@link Reservoir} over every training example of the tasks trained so far, in the order of each task's
 * training minibatches (partition by partition, minibatch by minibatch, row by row), which is a function of
 * the data alone. A task enters the memory once it is trained ({@link #absorb}), so the memory holds past
 * tasks only; its content is a function of the run's seed and the tasks absorbed, so a resumed run rebuilds
 * it by absorbing the tasks its checkpoint has trained. One memory serves every worker: its size is the total,
 * whatever the workers, and what a worker draws depends on the seed, the step and the worker alone
 * ({@link #mixed}), not on which executor runs it.
 */
final class ReplayMemory {

    /** Sets the reservoir's draws apart from every other stream drawn from the run's seed. */
    private static final long RESERVOIR_SALT = 0x6A09E667F3BCC909L;
    /** Sets the workers' draws from the memory apart from dropout's and augmentation's at the same step. */
    private static final long DRAW_SALT = 0xBB67AE8584CAA73BL;

    private final ReplaySettings settings;
    private final Reservoir reservoir;
    private final float[][] features;
    private final float[][] labels;
    private final int[] tasks;

    ReplayMemory(ReplaySettings settings, long seed) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("training.replay is off");
        }
        this.settings = settings;
        this.reservoir = new Reservoir(settings.bufferSize(), StepSeed.of(seed ^ RESERVOIR_SALT, 0, 0));
        this.features = new float[settings.bufferSize()][];
        this.labels = new float[settings.bufferSize()][];
        this.tasks = new int[settings.bufferSize()];
    }

    /**
     * Offers every example of {@code training}, task {@code task}'s training minibatches, to the reservoir, and
     * fetches the ones it keeps: one job counts each partition's examples, a second returns the kept rows only.
     */
    void absorb(int task, JavaRDD<DataSet> training) {
        List<long[]> counts = training.mapPartitionsWithIndex((Integer p, Iterator<DataSet> it) -> {
            long examples = 0;
            while (it.hasNext()) {
                examples += it.next().numExamples();
            }
            return List.of(new long[] {p, examples}).iterator();
        }, true).collect();
        long first = reservoir.seen();
        long[] offsets = new long[counts.size()];
        long total = 0;
        for (long[] c : counts) {
            offsets[(int) c[0]] = c[1];
        }
        for (int p = 0; p < offsets.length; p++) {
            long examples = offsets[p];
            offsets[p] = first + total;
            total += examples;
        }
        reservoir.offer(total);
        long[] wanted = new long[reservoir.filled()];
        int count = 0;
        for (int slot = 0; slot < reservoir.filled(); slot++) {
            if (reservoir.position(slot) >= first) {
                wanted[count++] = reservoir.position(slot);
            }
        }
        long[] kept = Arrays.copyOf(wanted, count);
        Arrays.sort(kept);
        List<Tuple2<Long, float[][]>> rows = training.mapPartitionsWithIndex((Integer p, Iterator<DataSet> it) -> {
            List<Tuple2<Long, float[][]>> found = new ArrayList<>();
            long position = offsets[p];
            while (it.hasNext()) {
                DataSet batch = it.next();
                for (int row = 0; row < batch.numExamples(); row++, position++) {
                    if (Arrays.binarySearch(kept, position) >= 0) {
                        found.add(new Tuple2<>(position, new float[][] {
                                batch.getFeatures().getRow(row).toFloatVector(),
                                batch.getLabels().getRow(row).toFloatVector()}));
                    }
                }
            }
            return found.iterator();
        }, true).collect();
        Map<Long, Integer> slotOf = new HashMap<>();
        for (int slot = 0; slot < reservoir.filled(); slot++) {
            slotOf.put(reservoir.position(slot), slot);
        }
        for (Tuple2<Long, float[][]> row : rows) {
            int slot = slotOf.get(row._1());
            features[slot] = row._2()[0];
            labels[slot] = row._2()[1];
            tasks[slot] = task;
        }
        if (rows.size() != count) {
            throw new IllegalStateException("task " + task + ": the replay memory kept " + count
                    + " examples but the training data returned " + rows.size());
        }
    }

    /** Examples held: {@code min(buffer_size, examples of the tasks absorbed)}. */
    int filled() {
        return reservoir.filled();
    }

    /** The task the example in {@code slot} came from. */
    int taskOf(int slot) {
        return tasks[slot];
    }

    /** The stream position of the example in {@code slot}: its index among every example absorbed, in order. */
    long positionOf(int slot) {
        return reservoir.position(slot);
    }

    /** The examples held, in slot order, encoded as the workers receive them; null while the memory is empty. */
    byte[] encoded() {
        int n = filled();
        if (n == 0) {
            return null;
        }
        int width = features[0].length;
        int outputs = labels[0].length;
        float[] x = new float[n * width];
        float[] y = new float[n * outputs];
        for (int slot = 0; slot < n; slot++) {
            System.arraycopy(features[slot], 0, x, slot * width, width);
            System.arraycopy(labels[slot], 0, y, slot * outputs, outputs);
        }
        return EncodedMinibatch.encode(new DataSet(Nd4j.create(x, new long[] {n, width}, 'c'),
                Nd4j.create(y, new long[] {n, outputs}, 'c')));
    }

    /**
     * The minibatch {@code worker} fits at global step {@code step}: {@code batch} followed by
     * {@code min(perMinibatch, memory size)} examples of {@code memory} drawn without replacement (a partial
     * Fisher-Yates shuffle) from the {@link StepSeed} of the run's seed, the step and the worker; {@code batch}
     * itself when {@code memory} is null. {@code batch} is not changed: cached minibatches are shared objects.
     */
    static DataSet mixed(DataSet batch, DataSet memory, int perMinibatch, long seed, long step, int worker) {
        if (memory == null || perMinibatch == 0) {
            return batch;
        }
        int held = memory.numExamples();
        int drawn = Math.min(perMinibatch, held);
        int[] order = new int[held];
        for (int i = 0; i < held; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(StepSeed.of(seed ^ DRAW_SALT, step, worker));
        for (int i = 0; i < drawn; i++) {
            int j = i + random.nextInt(held - i);
            int swapped = order[i];
            order[i] = order[j];
            order[j] = swapped;
        }
        int[] rows = Arrays.copyOf(order, drawn);
        INDArray features = Nd4j.vstack(batch.getFeatures().castTo(DataType.FLOAT), memory.getFeatures().getRows(rows));
        INDArray labels = Nd4j.vstack(batch.getLabels().castTo(DataType.FLOAT), memory.getLabels().getRows(rows));
        return new DataSet(features, labels);
    }
}
