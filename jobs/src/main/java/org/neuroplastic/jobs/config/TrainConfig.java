package org.neuroplastic.jobs.config;

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
                        + ConfigSection.yamlName(training.consolidation().method())
                        + " needs a task stream (data.stream), found a single data set");
            }
            if (training.augmentation().enabled() && data instanceof DataSource.Streamed streamed
                    && streamed.stream() instanceof TaskStream.Permuted) {
                // A permuted task's features are no longer an image's rows: a shift or mirror would scramble them.
                throw new IllegalArgumentException("training.augmentation needs images, found a permuted task stream "
                        + "(data.stream.kind permuted)");
            }
            return new TrainConfig(data, network, training, root.effectiveYaml());
        });
    }
}
