package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neuroplastic.jobs.config.ConfigDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Small sweep files for the tests: a tiny synthetic regression that trains in a second; and killing a sweep. */
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

    /** Stands for the sweep's JVM being killed. */
    static final class Kill extends Error {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A hook that kills the sweep as its {@code n}-th trial is staged: the trials before it are committed
     * (and, with a publish interval of 0, in the trials table), the n-th one is not.
     */
    static SweepHook killedAt(int n) {
        AtomicInteger staged = new AtomicInteger();
        return trialId -> {
            if (staged.incrementAndGet() == n) {
                throw new Kill();
            }
        };
    }

    /** The trials table's rows without what differs between attempts (sweep and run ids, times, executors). */
    static List<String> comparable(Dataset<Row> trials) {
        List<String> rows = new ArrayList<>();
        for (Row r : trials.drop("sweep_id", "run_id", "wall_seconds", "executor_id").orderBy("trial_id").collectAsList()) {
            rows.add(r.toString());
        }
        return rows;
    }
}
