package org.neuroplastic.jobs.train;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.AugmentationSettings;
import org.neuroplastic.jobs.data.EncodedMinibatch;
import org.neuroplastic.jobs.data.ImageAugmentation;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.jobs.trajectory.ParameterLayout;
import org.neuroplastic.jobs.trajectory.StepRecorder;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.model.consolidation.GradientPenalty;
import org.neuroplastic.model.consolidation.PathIntegral;
import org.neuroplastic.model.consolidation.PenaltyListener;
import org.neuroplastic.model.network.ContinualBackprop;
import org.neuroplastic.model.network.DropoutMasks;
import org.neuroplastic.model.network.InferenceState;
import org.neuroplastic.model.network.ShrinkAndPerturb;
import scala.Tuple2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One map task of an averaging round, run as a Spark task over a group of workers ({@link WorkerGroups}: one
 * worker, unless workers outnumber the task slots): for each worker, reset its resident network to the
 * broadcast state, fit the worker's minibatches of the round (measuring Synaptic Intelligence's path integral of
 * the round when the shards carry one), and emit the resulting state cut into {@link StateShards} (one shuffle
 * record per shard, keyed by shard), or add it to the group's {@link WorkerSum}, which is emitted the same way
 * once every worker of the group trained; and each worker's summary and trajectory rows (keyed
 * {@link StateShards#summaryShard()}). The rows are complete here: a worker's last-step rows carry its drift from
 * the broadcast state, which the task has, so they never need the driver.
 */
final class ResidentRoundTask
        implements Function2<Integer, Iterator<WorkerGroups.Member>, Iterator<Tuple2<Integer, byte[]>>> {

    private static final long serialVersionUID = 1L;

    private final String runId;
    private final Broadcast<String> configuration;
    private final Broadcast<byte[]> state;
    private final boolean summed;
    private final StateShards shards;
    private final StepRecorder recorder;
    private final ParameterLayout layers;
    private final Broadcast<byte[]> penalty;
    private final AugmentationSettings augmentation;
    private final ShrinkAndPerturb shrinkAndPerturb;
    private final Broadcast<byte[]> replay;
    private final int replayPerMinibatch;
    private final boolean predictFirst;
    private final int task;

    /**
     * @param summed         whether a task's workers are sent as their sum ({@link WorkerSum}) rather than one by one
     * @param shards         how to cut the state the worker returns (it includes the updater state when
     *                       the shards are longer than the parameters)
     * @param recorder       null when trajectories are off
     * @param layers         where each layer's state is, to measure the worker's drift; null when
     *                       trajectories are off
     * @param penalty        what the worker adds to its loss in this task, Java-serialized; null for nothing
     * @param augmentation   what changes the worker makes to its training images
     * @param shrinkAndPerturb what the worker does to its weights and biases after each update
     * @param replay         the replay memory, encoded ({@link ReplayMemory#encoded}); null for none
     * @param replayPerMinibatch examples drawn from the replay memory into each minibatch
     * @param predictFirst   whether the worker predicts each minibatch in inference mode just before it learns
     *                       from it (an online stream), and returns the counts in its summary
     * @param task           the continual-learning task the round's minibatches belong to, which the
     *                       predictions of {@code at_inference.reset: per_task} layers keep their state for
     */
    ResidentRoundTask(String runId, Broadcast<String> configuration, Broadcast<byte[]> state, boolean summed,
                      StateShards shards, StepRecorder recorder, ParameterLayout layers,
                      Broadcast<byte[]> penalty, AugmentationSettings augmentation, ShrinkAndPerturb shrinkAndPerturb,
                      Broadcast<byte[]> replay, int replayPerMinibatch, boolean predictFirst, int task) {
        this.runId = runId;
        this.configuration = configuration;
        this.state = state;
        this.summed = summed;
        this.shards = shards;
        this.recorder = recorder;
        this.layers = layers;
        this.penalty = penalty;
        this.augmentation = augmentation;
        this.shrinkAndPerturb = shrinkAndPerturb;
        this.replay = replay;
        this.replayPerMinibatch = replayPerMinibatch;
        this.predictFirst = predictFirst;
        this.task = task;
    }

    @Override
    public Iterator<Tuple2<Integer, byte[]>> call(Integer group, Iterator<WorkerGroups.Member> members) {
        String executorId = SparkEnv.get().executorId();
        List<Tuple2<Integer, byte[]>> output = new ArrayList<>();
        WorkerSum sum = summed ? new WorkerSum(shards) : null;
        while (members.hasNext()) {
            WorkerGroups.Member member = members.next();
            int partition = member.partition();
            if (member.minibatches().isEmpty()) {
                output.add(new Tuple2<>(shards.summaryShard(), WorkerRound.idle(partition, executorId).encode()));
                continue;
            }
            ResidentNetworks.Slot slot = ResidentNetworks.slot(runId, partition);
            slot.lock();
            try {
                MultiLayerNetwork network = slot.network(configuration.value());
                int iteration = RoundState.apply(state.value(), network);
                // Attached first, so that it reads each step's gradient before the penalty's is added to it.
                PathIntegral integral = shards.pathIntegral() > 0 ? PathIntegral.attach(network) : null;
                if (integral == null) {
                    PathIntegral.detach(network);
                }
                PenaltyListener.attach(network, penalty == null ? null : deserialize(penalty.value()));
                fit(network, slot.inference(), member.minibatches(), iteration, partition, executorId, integral, output,
                        sum);
            } finally {
                slot.unlock();
            }
        }
        if (sum != null) {
            output.addAll(sum.records());
        }
        return output.iterator();
    }

    /**
     * Trains one worker and adds its state to {@code sum} (null: its shards to {@code output}), and its summary and
     * rows to {@code output}.
     */
    private void fit(MultiLayerNetwork network, InferenceState inference, List<DataSet> round, int iteration,
                     int partition, String executorId, PathIntegral integral, List<Tuple2<Integer, byte[]>> output,
                     WorkerSum sum) {
        String worker = Integer.toString(partition);
        List<TrajectoryRecord> records = new ArrayList<>();
        long examples = 0;
        double lossSum = 0;
        long fitNanos = 0;
        long nonFiniteStep = -1;
        Predictions online = Predictions.NONE;
        DataSet memory = replay == null ? null : EncodedMinibatch.decode(replay.value());
        long seed = network.getDefaultConfiguration().getSeed();
        for (int i = 0; i < round.size(); i++) {
            long step = (long) iteration + i + 1;
            DataSet current = round.get(i);
            DataSet replayed = ReplayMemory.mixed(current, memory, replayPerMinibatch, seed, step, partition);
            DataSet minibatch = ImageAugmentation.atStep(augmentation, replayed, network, step, partition);
            if (predictFirst) {
                online = online.plus(Predictions.online(network, minibatch, inference, task));
            }
            DropoutMasks.seedFor(network, step, partition);
            long begin = System.nanoTime();
            network.fit(minibatch);
            ContinualBackprop.updateUtilities(network);
            shrinkAndPerturb.afterStep(network, step);
            long elapsed = System.nanoTime() - begin;
            fitNanos += elapsed;
            // The task's own examples: an epoch's count stays comparable with the task's training rows.
            examples += current.numExamples();
            double loss = network.score();
            lossSum += loss;
            if (nonFiniteStep < 0 && !Double.isFinite(loss)) {
                nonFiniteStep = step;
            }
            if (recorder != null) {
                records.addAll(recorder.afterStep(network, step, worker, executorId, loss, elapsed / 1_000_000, minibatch));
            }
        }
        INDArray parameters = Vectors.contiguous(network.params());
        INDArray updaterState = shards.pathIntegralStart() > shards.parameters()
                ? Vectors.contiguous(RoundState.updaterState(network)) : null;
        float[] pathIntegral = integral == null ? null : integral.values(network);
        if (sum != null) {
            sum.add(partition, parameters, updaterState, pathIntegral);
        } else {
            for (int shard = 0; shard < shards.shards(); shard++) {
                output.add(new Tuple2<>(shard, shards.encode(shard, partition, parameters, updaterState, pathIntegral)));
            }
        }
        double[] drift = new double[0];
        if (recorder != null) {
            drift = layers.distances(RoundState.parameters(state.value()), Vectors.view(parameters));
            long lastStep = (long) iteration + round.size();
            for (int r = 0; r < records.size(); r++) {
                TrajectoryRecord row = records.get(r);
                if (row.step() == lastStep) {
                    records.set(r, row.withDrift(drift[row.layer()]));
                }
            }
            output.add(new Tuple2<>(shards.summaryShard(), WorkerRound.encodeRows(records)));
        }
        output.add(new Tuple2<>(shards.summaryShard(), new WorkerRound(partition, executorId, round.size(), examples,
                lossSum, fitNanos, nonFiniteStep, drift, online).encode()));
    }

    /** The penalty as the round's tasks receive it: Java-serialized, as Spark's Kryo cannot build records. */
    static byte[] serialize(GradientPenalty penalty) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(penalty);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the gradient penalty " + penalty.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    private static GradientPenalty deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (GradientPenalty) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot deserialize the gradient penalty", e);
        }
    }
}
