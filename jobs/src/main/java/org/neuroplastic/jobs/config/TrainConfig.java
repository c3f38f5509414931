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

    public TrainConfig {
        boolean classification = data.target().isClassification();
        if (classification != (network.output().loss() == NetworkConfig.Loss.MCXENT)) {
            throw new IllegalArgumentException("network.output.loss must be "
                    + (classification ? "mcxent for a classification data set" : "mse for a regression data set")
                    + ", found " + network.output().loss().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Reads a train job's configuration: sections {@code data}, {@code network} and {@code training}. */
    public static TrainConfig read(ConfigDocument document) {
        ConfigSection root = document.root();
        return root.build(() -> {
            DataSource data = DataSource.read(root.section("data"));
            NetworkConfig network = NetworkConfig.read(root.section("network"));
            TrainingSettings training = TrainingSettings.read(root.section("training"));
            return new TrainConfig(data, network, training, root.effectiveYaml());
        });
    }
}
