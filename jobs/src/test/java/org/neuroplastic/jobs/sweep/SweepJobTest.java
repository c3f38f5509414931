package org.neuroplastic.jobs.sweep;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole sweeps on local[2]: both modes, successive halving, failures and resuming. */
class SweepJobTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path dir;

    private Dataset<Row> table(Path out, String name) {
        return SPARK.session().read().parquet(out.resolve(name).toString());
    }

    private static final String ETA_GRID = """
            method: grid
            parameters:
              network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.05]}
              network.updater.learning_rate: {values: [0.001, 0.03]}
            """;

    @Test
    void parallelModeWritesOneTrialRowAndEachTrialsRowsInTheTrainJobsLayout() {
        SweepConfig sweep = SweepFiles.sweep(ETA_GRID);
        Path out = dir.resolve("sweep");
        SweepSummary summary = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(out), false, QUIET);

        assertThat(summary.completed()).isEqualTo(4);
        List<Row> trials = table(out, "trials").orderBy("trial_id").collectAsList();
        assertThat(trials).extracting(r -> r.<String>getAs("trial_id")).containsExactly("t0000", "t0001", "t0002", "t0003");
        assertThat(trials).extracting(r -> r.<String>getAs("network_hidden_0_plasticity_hebbian_eta"))
                .containsExactly("0.001", "0.001", "0.05", "0.05");
        assertThat(trials).extracting(r -> r.<String>getAs("network_updater_learning_rate"))
                .containsExactly("0.001", "0.03", "0.001", "0.03");
        assertThat(trials.get(2).<String>getAs("parameters"))
                .isEqualTo("{\"network.hidden.0.plasticity.hebbian.eta\":0.05,\"network.updater.learning_rate\":0.001}");
        assertThat(trials).allSatisfy(r -> {
            assertThat(r.<String>getAs("status")).isEqualTo("completed");
            assertThat(r.<Integer>getAs("epochs_completed")).isEqualTo(2);
            assertThat(r.<String>getAs("sweep_id")).isEqualTo(summary.sweepId());
        });

        Row trial = trials.get(1);
        String runId = trial.getAs("run_id");
        List<Row> evaluations = table(out, "evaluations").where(col("run_id").equalTo(runId)).orderBy("epoch").collectAsList();
        assertThat(evaluations).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2);
        assertThat(evaluations).allSatisfy(r -> assertThat(r.<String>getAs("trial_id")).isEqualTo("t0001"));
        double finalLoss = evaluations.get(1).getAs("loss");
        assertThat(trial.<Double>getAs("final_metric")).isEqualTo(finalLoss);
        assertThat(trial.<Double>getAs("best_metric"))
                .isEqualTo(Math.min(evaluations.get(0).<Double>getAs("loss"), finalLoss));

        // 180 training rows in minibatches of 30: 6 steps per epoch, 2 layers (hidden and output).
        Dataset<Row> trajectory = table(out, "trajectories").where(col("run_id").equalTo(runId));
        assertThat(trajectory.where(col("worker").equalTo("0")).count()).isEqualTo(2 * 6 * 2);
        assertThat(trajectory.where(col("worker").equalTo("avg")).select("epoch", "step").distinct()
                .orderBy("epoch").collectAsList()).extracting(Row::toString).containsExactly("[1,6]", "[2,12]");
        assertThat(trajectory.where(col("trial_id").notEqual("t0001")).count()).isZero();
        assertThat(trajectory.where(col("layer").equalTo(0)).where(col("mask_density").isNull()).count()).isZero();
        // Written from the executors where the trial tasks left them, one file per trial.
        assertThat(runFolders(out)).hasSize(4).allSatisfy(run -> assertThat(parquetFiles(run)).isEqualTo(1));

        List<Row> runs = table(out, "runs").collectAsList();
        assertThat(runs).hasSize(4);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.<String>getAs("averaging")).isEqualTo(ParallelTrials.SINGLE_TASK);
            assertThat(r.<String>getAs("status")).isEqualTo("completed");
        });
        assertThat(out.resolve(SweepFolder.STAGING)).isEmptyDirectory();
    }

    @Test
    void averagedModeTrainsEachTrialWithTheTrainJobAndRecordsAFailingTrialWithoutStopping() throws Exception {
        Path out = dir.resolve("averaged");
        SweepSummary summary = SweepJob.run(csvSweep("mode: averaged\n"), SPARK.session(), LocalFiles.at(out), false, QUIET);

        assertThat(summary.completed()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(1);
        List<Row> trials = table(out, "trials").orderBy("trial_id").collectAsList();
        assertThat(trials.get(0).<String>getAs("status")).isEqualTo("failed");
        assertThat(trials.get(0).<String>getAs("error")).contains("bad.csv").doesNotContain("\n");
        assertThat(trials.get(0).<Integer>getAs("epochs_completed")).isZero();
        assertThat(trials.get(1).<String>getAs("status")).isEqualTo("completed");
        assertThat(trials.get(1).<String>getAs("executor_id")).isEqualTo("driver");
        List<Row> runs = table(out, "runs").orderBy("trial_id").collectAsList();
        assertThat(runs).extracting(r -> r.<String>getAs("averaging")).containsOnly("resident");
        assertThat(runs).extracting(r -> r.<String>getAs("status")).containsExactly("failed", "completed");
        assertThat(runs).extracting(r -> r.<String>getAs("run_id"))
                .containsExactly(trials.get(0).<String>getAs("run_id"), trials.get(1).<String>getAs("run_id"));
        assertThat(table(out, "evaluations").count()).isEqualTo(1);
        assertThat(table(out, "trajectories").where(col("worker").equalTo("avg")).select("trial_id").distinct()
                .collectAsList()).extracting(r -> r.getString(0)).containsExactly("t0001");
        assertThat(out.resolve("models/t0001.zip")).exists();
    }

    @Test
    void parallelModeRecordsAFailingTrialAndResumeRunsItAgainOnce() throws Exception {
        Path out = dir.resolve("failing");
        SweepConfig sweep = csvSweep("mode: parallel\n");
        SweepSummary first = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(out), false, QUIET);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.completed()).isEqualTo(1);
        Row failed = table(out, "trials").where(col("trial_id").equalTo("t0000")).first();
        assertThat(failed.<String>getAs("status")).isEqualTo("failed");
        assertThat(failed.<String>getAs("error")).contains("bad.csv");
        String okRun = table(out, "trials").where(col("trial_id").equalTo("t0001")).first().getAs("run_id");

        Files.copy(dir.resolve("good.csv"), dir.resolve("bad.csv"), StandardCopyOption.REPLACE_EXISTING);
        SweepSummary resumed = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(out), true, QUIET);

        assertThat(resumed.completed()).isEqualTo(2);
        assertThat(resumed.sweepId()).isEqualTo(first.sweepId());
        assertThat(table(out, "trials").where(col("trial_id").equalTo("t0001")).first().<String>getAs("run_id"))
                .isEqualTo(okRun);
        assertThat(table(out, "runs").count()).isEqualTo(2);
        assertThat(table(out, "runs").where(col("status").equalTo("failed")).count()).isZero();
        assertThat(table(out, "evaluations").count()).isEqualTo(2);
    }

    private static final String HALVING = """
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.00001, 0.0001, 0.003, 0.03]}
              training.epochs: {values: [3]}
            early_stop: {rungs: 2, reduction_factor: 2, min_epochs: 1}
            """;

    @Test
    void successiveHalvingStopsAllButTheBestHalfAtEachRung() {
        Path out = dir.resolve("halving");
        String survivor = assertHalving(out,
                SweepJob.run(SweepFiles.sweep(HALVING), SPARK.session(), LocalFiles.at(out), false, QUIET));
        // Steps continue across rungs: the survivor's last epoch ends at step 3 * 6.
        assertThat(table(out, "trajectories").where(col("trial_id").equalTo(survivor))
                .agg(max("step")).first().getLong(0)).isEqualTo(18);
    }

    @Test
    void successiveHalvingInAveragedModeKeepsOnlyEachTrialsLastAttempt() {
        Path out = dir.resolve("halving-averaged");
        // Two trials, one rung after epoch 1: the better one is promoted and trained again from its start to epoch 2.
        SweepConfig sweep = SweepFiles.sweep(HALVING.replace("[0.00001, 0.0001, 0.003, 0.03]", "[0.00001, 0.03]")
                .replace("{values: [3]}", "{values: [2]}").replace("rungs: 2", "rungs: 1") + "mode: averaged\n");
        SweepSummary summary = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(out), false, QUIET);
        assertThat(summary.completed()).isEqualTo(1);
        assertThat(summary.stopped()).isEqualTo(1);
        Map<String, Row> trials = trialsById(out);
        Map<String, Map<Integer, Double>> losses = lossesByEpoch(out);
        String survivor = rank(losses, 1, trials.keySet()).get(0);
        for (String id : trials.keySet()) {
            int expectedEpochs = id.equals(survivor) ? 2 : 1;
            assertThat(trials.get(id).<Integer>getAs("epochs_completed")).as(id).isEqualTo(expectedEpochs);
            assertThat(trials.get(id).<String>getAs("status")).as(id).isEqualTo(id.equals(survivor) ? "completed" : "stopped");
            assertThat(losses.get(id)).as(id).hasSize(expectedEpochs);
        }
        // A promoted trial is trained again from its start: one run per trial, and each key once.
        assertThat(table(out, "runs").count()).isEqualTo(2);
        assertThat(table(out, "runs").select("trial_id").distinct().count()).isEqualTo(2);
        Dataset<Row> trajectories = table(out, "trajectories");
        assertThat(trajectories.groupBy("run_id", "task", "epoch", "round", "step", "worker", "layer").count()
                .where(col("count").gt(1)).count()).isZero();
        assertThat(trajectories.select("run_id").distinct().count()).isEqualTo(2);
        assertThat(trajectories.where(col("trial_id").equalTo(survivor)).where(col("worker").equalTo("avg"))
                .select("epoch").distinct().count()).isEqualTo(2);
        // The finished trial appended two epochs; compacted, each trial is one file.
        assertThat(runFolders(out)).hasSize(2).allSatisfy(run -> assertThat(parquetFiles(run)).isEqualTo(1));
    }

    private static List<Path> runFolders(Path out) {
        try (var runs = java.nio.file.Files.list(out.resolve("trajectories"))) {
            return runs.filter(p -> p.getFileName().toString().startsWith("run_id=")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long parquetFiles(Path folder) {
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, Row> trialsById(Path out) {
        return table(out, "trials").collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("trial_id"), r -> r));
    }

    /** Trial id to epoch to held-out loss. */
    private Map<String, Map<Integer, Double>> lossesByEpoch(Path out) {
        Map<String, Map<Integer, Double>> losses = new HashMap<>();
        for (Row e : table(out, "evaluations").collectAsList()) {
            losses.computeIfAbsent(e.getAs("trial_id"), k -> new HashMap<>()).put(e.getAs("epoch"), e.getAs("loss"));
        }
        return losses;
    }

    /** Checks the trials against halving recomputed from their evaluations; returns the one that finished. */
    private String assertHalving(Path out, SweepSummary summary) {
        assertThat(summary.completed()).isEqualTo(1);
        assertThat(summary.stopped()).isEqualTo(3);
        Map<String, Row> trials = trialsById(out);
        Map<String, Map<Integer, Double>> losses = lossesByEpoch(out);
        List<String> byRung1 = rank(losses, 1, trials.keySet());
        Set<String> survivors1 = Set.copyOf(byRung1.subList(0, 2));
        List<String> byRung2 = rank(losses, 2, survivors1);
        for (String id : trials.keySet()) {
            int expectedEpochs = !survivors1.contains(id) ? 1 : id.equals(byRung2.get(0)) ? 3 : 2;
            Row trial = trials.get(id);
            assertThat(trial.<Integer>getAs("epochs_completed")).as(id).isEqualTo(expectedEpochs);
            assertThat(trial.<String>getAs("status")).as(id).isEqualTo(expectedEpochs == 3 ? "completed" : "stopped");
            assertThat(losses.get(id)).as(id).hasSize(expectedEpochs);
            assertThat(table(out, "trajectories").where(col("trial_id").equalTo(id)).where(col("worker").equalTo("avg"))
                    .select("epoch").distinct().count()).as(id).isEqualTo(expectedEpochs);
        }
        return byRung2.get(0);
    }

    private static List<String> rank(Map<String, Map<Integer, Double>> losses, int epoch, Set<String> ids) {
        return ids.stream().sorted((a, b) -> Double.compare(losses.get(a).get(epoch), losses.get(b).get(epoch))).toList();
    }

    @Test
    void resumingASweepKilledHalfwayGivesTheSameTrialsAsAnUninterruptedOneWithoutDuplicateRows() throws Exception {
        SweepConfig sweep = SweepFiles.sweep(ETA_GRID);
        Path whole = dir.resolve("whole");
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(whole), false, QUIET, SweepHook.NONE, 0);

        Path killed = dir.resolve("killed");
        assertThatThrownBy(() -> SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), false, QUIET,
                SweepFiles.killedAt(3), 0)).isInstanceOf(SweepFiles.Kill.class);
        assertThat(table(killed, "trials").count()).isEqualTo(2);
        try (var staged = Files.list(killed.resolve(SweepFolder.STAGING))) {
            assertThat(staged.toList()).as("trials staged but never committed").isNotEmpty();
        }
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), true, QUIET);

        assertThat(SweepFiles.comparable(table(killed, "trials")))
                .isEqualTo(SweepFiles.comparable(table(whole, "trials")));
        assertThat(table(killed, "trials").select("sweep_id").distinct().count()).isEqualTo(1);
        for (Path out : List.of(whole, killed)) {
            Dataset<Row> trajectories = table(out, "trajectories");
            assertThat(trajectories.count()).isEqualTo(trajectories.select("run_id", "epoch", "step", "worker", "layer")
                    .distinct().count()).isEqualTo(table(whole, "trajectories").count());
            assertThat(table(out, "evaluations").count()).isEqualTo(4 * 2);
            assertThat(table(out, "runs").count()).isEqualTo(4);
            Set<String> runIds = table(out, "trials").select("run_id").collectAsList().stream()
                    .map(r -> r.getString(0)).collect(Collectors.toSet());
            assertThat(trajectories.select("run_id").distinct().collectAsList()).extracting(r -> r.getString(0))
                    .containsExactlyInAnyOrderElementsOf(runIds);
        }
    }

    @Test
    void parallelTrialsArePublishedWhileOthersStillRun() {
        SweepConfig sweep = SweepFiles.sweep("""
                method: grid
                parameters:
                  training.epochs: {values: [1, 500]}
                """);
        AtomicInteger runningJobs = new AtomicInteger();
        SPARK.session().sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                runningJobs.incrementAndGet();
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd jobEnd) {
                runningJobs.decrementAndGet();
            }
        });
        List<String> publishedWhileRunning = new ArrayList<>();
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(dir.resolve("early")), false, QUIET, trialId -> {
            if (runningJobs.get() > 0) {
                publishedWhileRunning.add(trialId);
            }
        }, 0);
        assertThat(publishedWhileRunning).containsExactly("t0000");
    }

    @Test
    void aResumedHalvingSweepPromotesWhatAnUninterruptedOneDoes() {
        SweepConfig sweep = SweepFiles.sweep(HALVING);
        Path whole = dir.resolve("whole");
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(whole), false, QUIET);

        Path killed = dir.resolve("killed");
        assertThatThrownBy(() -> SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), false, QUIET,
                SweepFiles.killedAt(2), 0)).isInstanceOf(SweepFiles.Kill.class);
        assertThat(table(killed, "trials").where(col("status").equalTo("stopped")).count()).isEqualTo(1);
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), true, QUIET);

        assertThat(SweepFiles.comparable(table(killed, "trials")))
                .isEqualTo(SweepFiles.comparable(table(whole, "trials")));
        assertThat(table(killed, "evaluations").count()).isEqualTo(table(whole, "evaluations").count()).isEqualTo(1 + 1 + 2 + 3);
    }



    /** Two trials on iris-like CSV data: t0000 reads a file with a non-numeric value, t0001 a good one. */
    private SweepConfig csvSweep(String mode) throws Exception {
        StringBuilder good = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++) {
            good.append(i % 7 * 0.1).append(',').append(i % 5 * 0.2).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("good.csv"), good);
        Files.writeString(dir.resolve("bad.csv"), "a,b,label\n0.1,x,1\n0.2,0.3,0\n");
        String text = """
                base:
                  data: {format: csv, path: %s, task: classification, classes: 3, test_fraction: 0.25, split_seed: 2}
                  network:
                    hidden: [{size: 4, activation: relu, plasticity: {hebbian: {enabled: true, rule: oja, eta: 0.01}}}]
                    updater: {name: adam, learning_rate: 0.01}
                  training: {workers: 2, batch_size_per_worker: 10, averaging_frequency: 2, epochs: 1}
                method: grid
                parameters:
                  data.path: {values: [%s, %s]}
                metric: {name: test_accuracy}
                """.formatted(dir.resolve("good.csv"), dir.resolve("bad.csv"), dir.resolve("good.csv")) + mode;
        return SweepConfig.read(ConfigDocument.parse("sweep.yaml", text, List.of()));
    }
}
