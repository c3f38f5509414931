package org.neuroplastic.jobs.config;

import java.util.List;

/** The smallest valid configuration of a split task stream, for tests of the settings that need a stream. */
final class SmallStream {

    static final String CONFIG = """
            data:
              format: synthetic
              generator: classification
              rows: 200
              stream: {kind: split, classes_per_task: 1}
            network:
              n_in: 10
              hidden:
                - size: 8
            training:
              epochs: 2
            """;

    private SmallStream() {
    }

    /** {@code yaml} read as conf/t.yaml with {@code sets} applied. */
    static TrainConfig read(String yaml, String... sets) {
        return TrainConfig.read(ConfigDocument.parse("conf/t.yaml", yaml, List.of(sets)));
    }
}
