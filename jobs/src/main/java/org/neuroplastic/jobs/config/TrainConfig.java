package org.neuroplastic.jobs.config;

import org.neuroplastic.model.network.ConfigName;
import org.neuroplastic.model.network.NetworkSpec;

/**
 * The whole configuration of a train job, validated.
 *
 * @param data          where the examples come from and what their labels mean
 * @param network       the network to train
 * @param training      how training is distributed
 * @param effectiveYaml the configuration as applied, defaults and {@code --set} overrides included,
 *                      stored with the results
 */
public record TrainConfig(DataSource data, NetworkConfig network, TrainingSettings training, String effectiveYaml) {

    /**
     * The network to train on data of {@code features} features and {@code target} labels, read from
     * {@code source}: the network's spec, once the features are known to fit everything that depends on them.
     */
    public NetworkSpec networkFor(int features, Target target, String source) {
        NetworkSpec spec = network.spec(features, target);
        training.augmentation().requireImagesOf(features, source);
        if (data instanceof DataSource.Streamed streamed && streamed.stream() instanceof TaskStream.Split split
                && split.outputHeads() > 1) {
            return spec.withHeads(split.outputHeads());
        }
        return spec;
    }

    /**
     * This configuration trained for {@code epochs} epochs (per task). {@code effectiveYaml} is kept, since the
     * results name the configuration they belong to: a sweep trial trained only up to a rung records the
     * trial's, with the epochs it completed beside it.
     */
    public TrainConfig withEpochs(int epochs) {
        return new TrainConfig(data, network, training.withEpochs(epochs), effectiveYaml);
    }

    /** Reads a train job's configuration: sections {@code data}, {@code network} and {@code training}. */
    public static TrainConfig read(ConfigDocument document) {
        ConfigSection root = document.root();
        return root.build(() -> {
            DataSource data = DataSource.read(root.section("data"));
            NetworkConfig network = NetworkConfig.read(root.section("network"), data.target());
            TrainingSettings training = TrainingSettings.read(root.section("training"));
            if (training.consolidation().enabled() && !(data instanceof DataSource.Streamed)) {
                // Consolidation acts between tasks; without a stream it would silently do nothing.
                throw new IllegalArgumentException("training.consolidation.method "
                        + ConfigName.of(training.consolidation().method())
                        + " needs a task stream (data.stream), found a single data set");
            }
            if (training.augmentation().enabled() && data instanceof DataSource.Streamed streamed
                    && streamed.stream() instanceof TaskStream.Permuted) {
                // A permuted task's features are no longer an image's rows: a shift or mirror would scramble them.
                throw new IllegalArgumentException("training.augmentation needs images, found a permuted task stream "
                        + "(data.stream.kind permuted)");
            }
            if (data instanceof DataSource.Streamed streamed && streamed.stream().online()) {
                requireOnlineTraining(training);
            }
            if (network.continualBackprop().enabled() && training.averaging() == TrainingSettings.Averaging.STOCK) {
                // The utilities are updated after every update on the workers, which DL4J's master gives no hook for.
                throw new IllegalArgumentException("network.continual_backprop needs training.averaging resident, "
                        + "found stock");
            }
            requireReplayStream(data, training);
            if (data instanceof DataSource.Streamed streamed && streamed.joint() && training.consolidation().enabled()) {
                // A joint run has no task boundary to consolidate at: it is the bound the methods are measured against.
                throw new IllegalArgumentException("training.consolidation.method "
                        + ConfigName.of(training.consolidation().method()) + " is not available with data.stream.joint: "
                        + "true (one training phase, no task boundary)");
            }
            return new TrainConfig(data, network, training, root.effectiveYaml());
        });
    }

    /** Replay draws on earlier tasks: it needs an offline stream trained task after task. */
    private static void requireReplayStream(DataSource data, TrainingSettings training) {
        if (!training.replay().enabled()) {
            return;
        }
        if (!(data instanceof DataSource.Streamed streamed)) {
            throw new IllegalArgumentException("training.replay needs a task stream (data.stream), found a single "
                    + "data set");
        }
        if (streamed.stream().online()) {
            throw new IllegalArgumentException("training.replay is not available with an online stream "
                    + "(data.stream.online: true), whose examples are each seen once");
        }
        if (streamed.joint()) {
            throw new IllegalArgumentException("training.replay is not available with data.stream.joint: true "
                    + "(every task is in every minibatch already)");
        }
    }

    /** An online stream sees each example once, on the master whose workers can predict before they learn. */
    private static void requireOnlineTraining(TrainingSettings training) {
        if (training.epochs() != 1) {
            throw new IllegalArgumentException("training.epochs must be 1 with an online stream (data.stream.online: "
                    + "each example is seen once), found " + training.epochs());
        }
        if (training.averaging() != TrainingSettings.Averaging.RESIDENT) {
            throw new IllegalArgumentException("data.stream.online needs training.averaging resident (its workers "
                    + "predict each minibatch before fitting it), found stock");
        }
        if (training.consolidation().enabled()) {
            throw new IllegalArgumentException("training.consolidation.method "
                    + ConfigName.of(training.consolidation().method())
                    + " is not available with an online stream (data.stream.online: true), which has no task-end consolidation");
        }
    }
}
