package org.neuroplastic.jobs.sweep;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.data.ImageAugmentation;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.train.HeldOutEvaluation;
import org.neuroplastic.jobs.train.NonFiniteState;
import org.neuroplastic.jobs.train.TrainingDiverged;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.StepRecorder;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.network.ContinualBackprop;
import org.neuroplastic.model.network.DropoutMasks;
import org.neuroplastic.model.network.InferenceCheckpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Trains one trial of parallel mode inside one Spark task with plain single-JVM DL4J: the network's
 * layers rewire themselves, every minibatch is used once per epoch in an order shuffled per epoch. Rows
 * recorded: worker {@code "0"} after every minibatch (round 0), and worker {@code "avg"} once per epoch
 * with the epoch's mean training loss, both with the task's executor id. A failure is returned, not
 * thrown, so Spark does not retry a trial that fails deterministically; so is a divergence (a non-finite
 * loss after any minibatch, or non-finite parameters or plastic state after an epoch), with the rows up to
 * the step where it was seen. A task whose job is cancelled ({@code trial_timeout}) stops before its next
 * minibatch: Spark only interrupts the task's thread, which plain computation never notices.
 */
final class TrialTask implements FlatMapFunction<Integer, byte[]> {

    private static final long serialVersionUID = 1L;
    static final String WORKER = "0";

    private final TrainingDataFiles.Ref data;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final TrialWork work;

    /**
     * The work travels inside the task's closure, which Spark always serializes with Java serialization;
     * the one-element RDD the task maps only triggers it.
     *
     * @param data   the trial's data set, read through {@code hadoop} unless this JVM holds it already
     */
    TrialTask(TrainingDataFiles.Ref data, Broadcast<SerializableConfiguration> hadoop, TrialWork work) {
        this.data = data;
        this.hadoop = hadoop;
        this.work = work;
    }

    /**
     * The trial's progress, then its rows (when it made any) as a separate record: the driver collects the
     * progress, and the rows stay in the task's persisted output until they are written ({@link TrialOutput}).
     */
    @Override
    public Iterator<byte[]> call(Integer ignored) {
        NativeThreads.limitToTask();
        TrialProgress progress = train(work, () -> TrainingDataCache.get(hadoop.value().value(), data),
                SparkEnv.get().executorId());
        List<byte[]> output = new ArrayList<>(2);
        output.add(TrialOutput.progress(progress.withoutRows()));
        if (!progress.trajectory().isEmpty()) {
            output.add(TrialOutput.rows(progress.trajectory()));
        }
        return output.iterator();
    }

    static TrialProgress train(TrialWork work, Supplier<TrainingData> data, String executorId) {
        long started = System.nanoTime();
        List<TrajectoryRecord> rows = new ArrayList<>();
        List<EpochEvaluation> evaluations = new ArrayList<>();
        long step = work.firstStep();
        int epoch = work.fromEpoch();
        Double trainLoss = null;
        TaskContext task = TaskContext.get();
        try {
            TrainingData trainingData = data.get();
            MultiLayerNetwork network = work.state() == null ? fresh(work.configuration())
                    : ModelArchive.read(work.state(), "trial " + work.trialId() + "'s state", true);
            List<DataSet> test = trainingData.testBatches(work.evaluationBatchSize());
            List<DataSet> validation = trainingData.validationBatches(work.evaluationBatchSize());
            TrajectoryScope scope = new TrajectoryScope(work.runId(), work.trialId(), 0);
            LayerMetricsSource metrics = new PlasticityLayerMetrics();
            for (; epoch < work.toEpoch(); epoch++) {
                long epochStart = System.nanoTime();
                StepRecorder recorder = work.trajectories() ? new StepRecorder(scope, epoch + 1, 0, metrics, work.diagnosticsEvery()) : null;
                List<DataSet> batches = trainingData.trainBatches(work.batchSize(),
                        new SplittableRandom(work.shuffleSeed() * 1_000_003L + epoch));
                double lossSum = 0;
                for (DataSet minibatch : batches) {
                    if (task != null) {
                        task.killTaskIfInterrupted();
                    }
                    DataSet batch = ImageAugmentation.atStep(work.augmentation(), minibatch, network, step + 1, 0);
                    DropoutMasks.seedFor(network, step + 1, 0);
                    long fitStart = System.nanoTime();
                    network.fit(batch);
                    ContinualBackprop.afterStep(network, step + 1);
                    work.shrinkAndPerturb().afterStep(network, step + 1);
                    long fitMs = (System.nanoTime() - fitStart) / 1_000_000;
                    double loss = network.score();
                    lossSum += loss;
                    step++;
                    if (recorder != null) {
                        rows.addAll(recorder.afterStep(network, step, WORKER, executorId, loss, fitMs, batch));
                    }
                    if (!Double.isFinite(loss)) {
                        throw TrainingDiverged.of(network, loss, step, epoch + 1);
                    }
                }
                long lastStep = step;
                int epochNumber = epoch + 1;
                NonFiniteState.first(network).ifPresent(what -> {
                    throw new TrainingDiverged(what, lastStep, epochNumber);
                });
                network.incrementEpochCount();
                trainLoss = lossSum / batches.size();
                if (recorder != null) {
                    rows.addAll(recorder.averaged(network, step, executorId, trainLoss, null, null,
                            (System.nanoTime() - epochStart) / 1_000_000));
                }
                HeldOutEvaluation held = evaluate(network, test, trainingData.classification);
                HeldOutEvaluation validated = validation.isEmpty() ? null
                        : evaluate(network, validation, trainingData.classification);
                evaluations.add(new EpochEvaluation(epoch + 1, held.examples(), held.loss(), held.accuracy(),
                        validated == null ? 0 : validated.examples(), validated == null ? null : validated.loss(), validated == null ? null : validated.accuracy()));
            }
            byte[] state = work.keepState() ? save(network) : null;
            return new TrialProgress(work.trialId(), executorId, epoch, step, rows, rows.size(), evaluations, trainLoss,
                    state, null, false, System.nanoTime() - started);
        } catch (TaskKilledException e) {
            throw e;
        } catch (TrainingDiverged e) {
            return new TrialProgress(work.trialId(), executorId, epoch, step, rows, rows.size(), evaluations, trainLoss,
                    null, e.getMessage(), true, System.nanoTime() - started);
        } catch (RuntimeException e) {
            return new TrialProgress(work.trialId(), executorId, epoch, step, rows, rows.size(), evaluations, trainLoss,
                    null, TrialFailure.logged("trial " + work.trialId(), e), false, System.nanoTime() - started);
        }
    }

    /**
     * One split's evaluation that leaves the trial's plastic state as it found it, as the train job's evaluation
     * on copies does ({@code HeldOutSplit}): with {@code at_inference}, every split starts from the trained state,
     * and what its minibatches moved never reaches the next epoch's training.
     */
    private static HeldOutEvaluation evaluate(MultiLayerNetwork network, List<DataSet> split, boolean classification) {
        try (InferenceCheckpoint trained = InferenceCheckpoint.of(network)) {
            HeldOutEvaluation evaluation = HeldOutEvaluation.of(network, split, classification);
            trained.rewind();
            return evaluation;
        }
    }

    private static MultiLayerNetwork fresh(String configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
        network.init();
        return network;
    }

    private static byte[] save(MultiLayerNetwork network) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
