package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.config.ConfigDocument;

import java.util.List;

/** Small sweep files for the tests: a tiny synthetic regression that trains in a second. */
final class SweepFiles {

    static final String BASE = """
            base:
              data: {format: synthetic, generator: regression, rows: 240, partitions: 2, seed: 1, test_fraction: 0.25}
              network:
                n_in: 10
                hidden:
                  - size: 6
                    activation: relu
                    plasticity:
                      hebbian: {enabled: true, rule: oja, eta: 0.01}
                      structural: {enabled: true, density: 0.5, zeta: 0.1, rewire_every: 4, regrowth: hebbian}
                updater: {name: adam, learning_rate: 0.01}
                seed: 3
              training: {workers: 2, batch_size_per_worker: 30, averaging_frequency: 2, epochs: 2}
            """;

    private SweepFiles() {
    }

    /** The tiny base with {@code rest} (method, parameters, ...) appended. */
    static SweepConfig sweep(String rest) {
        return SweepConfig.read(ConfigDocument.parse("sweep.yaml", BASE + rest, List.of()));
    }
}
