package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every trial of a sweep trains exactly the configuration its runs row records: what each mode hands its
 * trainer is compared, key by key, with the configuration read back from the row. A setting lost on the way
 * (issue 18: averaged mode trained without {@code training.augmentation} while its rows recorded it on)
 * shows nowhere else, since the trial still trains and its row still reads right.
 */
class RecordedConfigurationTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /**
     * Every training key away from its default (consolidation's method cannot be: sweeps take no task
     * stream), so that a key dropped back to its default differs from the recorded one.
     */
    private static final String SWEEP = """
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
              training:
                workers: 1
                batch_size_per_worker: 20
                averaging_frequency: 3
                epochs: 1
                save_updater: false
                trajectories: false
                consolidation: {method: none, lambda: 5, fisher_examples: 7}
                augmentation: {image_width: 5, horizontal_flip: true, max_shift: 1}
            method: grid
            parameters:
              training.augmentation.max_shift: {values: [1, 0]}
            replicas: 2
            """;

    @TempDir
    Path dir;

    /** What a parallel-mode trial's Spark task is handed. */
    private record Handed(DataSource data, TrialWork work) {
    }

    @Test
    void averagedModeHandsTheTrainJobExactlyTheConfigurationEachRunsRowRecords() {
        Map<String, List<TrainConfig>> handed = new LinkedHashMap<>();
        Path out = dir.resolve("averaged");
        SweepJob.run(sweep("averaged"), SPARK.session(), LocalFiles.at(out), false, QUIET, new SweepHook() {
            @Override
            public void staged(String trialId) {
            }

            @Override
            public void trainJobStarts(String trialId, TrainConfig config) {
                handed.computeIfAbsent(trialId, id -> new ArrayList<>()).add(config);
            }
        }, 0);

        Map<String, Row> runs = runsByTrial(out);
        assertThat(handed.keySet()).containsExactlyInAnyOrderElementsOf(runs.keySet()).hasSize(4);
        runs.forEach((trialId, run) -> {
            TrainConfig recorded = recorded(trialId, run);
            assertThat(handed.get(trialId)).as(trialId + ": train job runs").hasSize(1);
            TrainConfig trained = handed.get(trialId).get(0);
            assertThat(trained).as(trialId + ": the configuration the train job was handed")
                    .usingRecursiveComparison().ignoringFields("effectiveYaml").isEqualTo(recorded);
            assertThat(trained.effectiveYaml()).as(trialId).isEqualTo(run.<String>getAs("configuration"));
        });
    }

    /**
     * A parallel-mode trial is trained in one Spark task with single-JVM DL4J: {@code training.workers},
     * {@code averaging_frequency}, {@code save_updater}, {@code master} and {@code consolidation} do not
     * apply to it (its runs row's master reads single_task), so every other key is compared.
     */
    @Test
    void parallelModeHandsEachTrialsTaskExactlyTheConfigurationItsRunsRowRecords() {
        Map<String, List<Handed>> handed = new LinkedHashMap<>();
        Path out = dir.resolve("parallel");
        SweepJob.run(sweep("parallel"), SPARK.session(), LocalFiles.at(out), false, QUIET, new SweepHook() {
            @Override
            public void staged(String trialId) {
            }

            @Override
            public void trialTaskStarts(String trialId, DataSource data, TrialWork work) {
                handed.computeIfAbsent(trialId, id -> new ArrayList<>()).add(new Handed(data, work));
            }
        }, 0);

        Map<String, Row> runs = runsByTrial(out);
        assertThat(handed.keySet()).containsExactlyInAnyOrderElementsOf(runs.keySet()).hasSize(4);
        runs.forEach((trialId, run) -> {
            TrainConfig recorded = recorded(trialId, run);
            assertThat(handed.get(trialId)).as(trialId + ": tasks").hasSize(1);
            Handed task = handed.get(trialId).get(0);
            TrialWork work = task.work();
            assertThat(task.data()).as(trialId + ": data").usingRecursiveComparison().isEqualTo(recorded.data());
            NetworkSpec spec = recorded.networkFor(recorded.network().nIn(), recorded.data().target(), "the runs row");
            assertThat(work.configuration()).as(trialId + ": network")
                    .isEqualTo(NetworkFactory.configuration(spec, NetworkFactory.Rewiring.BY_LAYER, DataType.FLOAT).toJson());
            assertThat(work.shuffleSeed()).as(trialId + ": network.seed").isEqualTo(recorded.network().seed());
            assertThat(work.batchSize()).as(trialId + ": training.batch_size_per_worker")
                    .isEqualTo(recorded.training().batchSizePerWorker());
            assertThat(work.fromEpoch()).as(trialId + ": first epoch").isZero();
            assertThat(work.toEpoch()).as(trialId + ": training.epochs").isEqualTo(recorded.training().epochs());
            assertThat(work.trajectories()).as(trialId + ": training.trajectories")
                    .isEqualTo(recorded.training().trajectories());
            assertThat(work.augmentation()).as(trialId + ": training.augmentation")
                    .usingRecursiveComparison().isEqualTo(recorded.training().augmentation());
        });
    }

    private static SweepConfig sweep(String mode) {
        return SweepConfig.read(ConfigDocument.parse("sweep.yaml", SWEEP + "mode: " + mode + "\n", List.of()));
    }

    private static Map<String, Row> runsByTrial(Path out) {
        Map<String, Row> runs = new LinkedHashMap<>();
        for (Row run : SPARK.session().read().parquet(out.resolve("runs").toString()).orderBy("trial_id").collectAsList()) {
            assertThat(run.<String>getAs("status")).as(run.<String>getAs("trial_id")).isEqualTo("completed");
            assertThat(runs.put(run.getAs("trial_id"), run)).as("runs rows of " + run.getAs("trial_id")).isNull();
        }
        return runs;
    }

    /** The configuration a trial's runs row records, read back as the train job reads a file. */
    private static TrainConfig recorded(String trialId, Row run) {
        return TrainConfig.read(ConfigDocument.parse("the runs row of " + trialId, run.getAs("configuration"), List.of()));
    }
}
