package org.neuroplastic.bench;

import java.nio.file.Path;

/**
 * The real sweeps the halving benchmark races the two halvings on: a random search over the learning rate, the
 * Hebbian eta, the connection density and the width of one plastic layer, ranked by a loss on a validation
 * quarter of the training rows. {@link #DIGITS} is the one the goal is tested on: a trial takes seconds, and a
 * width from 16 to 256 makes trials of unequal length, so that synchronous halving's rung barriers leave a slot
 * idle while the slowest trial of a rung finishes. {@link #IRIS} is the first, cheap one (trials of a fraction
 * of a second, where the sweep's fixed costs dominate). {@link #FASHION_MNIST} is the heavy one: trials of
 * seconds per rung on 784 inputs, where the per-job costs of a sweep weigh least against the training that
 * halving saves.
 */
enum HalvingSweep {

    DIGITS("digits", csv("data/digits.csv.gz"), new Base(10, 64, "0.001", "0.005", 16, "0.0003", "0.03", 16, 256),
            "digits (data/digits.csv.gz, 1,797 8x8 images, 10 classes), width 16-256, minibatches of 16"),

    IRIS("iris", csv("data/iris.csv"), new Base(3, 16, "0.01", "0.01", 8, "0.001", "0.1", 4, 32),
            "iris (data/iris.csv, 150 rows, 3 classes), width 4-32, minibatches of 8"),

    FASHION_MNIST("fashion-mnist", fashionMnist(), new Base(10, 64, "0.001", "0.005", 32, "0.0003", "0.03", 16, 256),
            "fashion-mnist (Debian's dataset-fashion-mnist: the first 6,000 training images, 1,000 test images; "
                    + "10 classes), width 16-256, minibatches of 32");

    /** The configuration every trial starts from, and the ranges of the two keys whose range differs. */
    private record Base(int classes, int width, String eta, String learningRate, int batch, String minRate,
                        String maxRate, int minWidth, int maxWidth) {
    }

    /**
     * The data section of a CSV objective. Every data section is a format string of the checkout's absolute path
     * ({@code %1$s}) and the number of classes ({@code %2$d}), filled by {@link #yaml}.
     */
    private static String csv(String path) {
        return "  data: {format: csv, path: %1$s/" + path + ", label_column: label, task: classification, classes: %2$d,\n"
                + "         test_fraction: 0.2, validation_fraction: 0.25, split_seed: 7}\n";
    }

    /** The data section of the Fashion-MNIST objective: Debian's files, the first 6,000 training images. */
    private static String fashionMnist() {
        return """
              data: {format: idx, images: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz,
                     labels: /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz,
                     test_images: /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz,
                     test_labels: /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz, classes: %2$d,
                     limit: 6000, test_limit: 1000, validation_fraction: 0.25, split_seed: 7}
            """;
    }

    private static final String BASE = """
            base:
            %s\
              network:
                n_in: auto
                hidden:
                  - size: %d
                    activation: relu
                    plasticity:
                      hebbian: {enabled: true, rule: oja, eta: %s}
                      structural: {enabled: true, density: 0.75, zeta: 0.1, rewire_every: 20, regrowth: hebbian}
                updater: {name: adam, learning_rate: %s}
                seed: 42
              training: {batch_size_per_worker: %d, epochs: %d, trajectories: false}
            parameters:
              network.updater.learning_rate: {distribution: log_uniform, min: %s, max: %s}
              network.hidden.0.plasticity.hebbian.eta: {distribution: log_uniform, min: 0.0001, max: 0.1}
              network.hidden.0.plasticity.structural.density: {distribution: uniform, min: 0.3, max: 1.0}
              network.hidden.0.size: {distribution: int_uniform, min: %d, max: %d}
            """;

    private static final String SEARCH = """
            method: random
            count: %d
            seed: %d
            metric: {name: %s, goal: minimize}
            mode: parallel
            parallelism: %d
            early_stop: {kind: %s, rungs: %d, reduction_factor: %d, min_epochs: %d}
            """;

    private final String objective;
    private final String data;
    private final Base base;
    private final String description;

    HalvingSweep(String objective, String data, Base base, String description) {
        this.objective = objective;
        this.data = data;
        this.base = base;
        this.description = description;
    }

    /** The one named {@code objective} (as {@code --objective} spells it), or null. */
    static HalvingSweep named(String objective) {
        for (HalvingSweep sweep : values()) {
            if (sweep.objective.equals(objective)) {
                return sweep;
            }
        }
        return null;
    }

    String objective() {
        return objective;
    }

    String description() {
        return description;
    }

    /** The sweep file: {@code trials} random settings of this objective, halved by {@code halving}. */
    String yaml(Path checkout, int epochs, int trials, long seed, String metric, int parallelism, Halving halving) {
        String dataSection = data.formatted(checkout.toAbsolutePath(), base.classes());
        Base b = base;
        return BASE.formatted(dataSection, b.width(), b.eta(), b.learningRate(), b.batch(), epochs, b.minRate(),
                b.maxRate(), b.minWidth(), b.maxWidth()) + SEARCH.formatted(trials, seed, metric, parallelism, halving.kind(),
                halving.rungs(), halving.reductionFactor(), halving.minEpochs());
    }

    /** The sweep file's {@code early_stop} section. */
    record Halving(String kind, int rungs, int reductionFactor, int minEpochs) {
    }
}
