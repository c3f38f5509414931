package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole {@code early_stop.kind: asha} sweeps and {@code trial_timeout} on local[2]. */
class AshaSweepJobTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** Six trials of 3 epochs, one rung after epoch 1, the best half of those at the rung go on, 2 in flight. */
    private static final String ASHA = """
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03]}
              training.epochs: {values: [3]}
            early_stop: {kind: asha, rungs: 1, reduction_factor: 2, min_epochs: 1}
            parallelism: 2
            """;

    @TempDir
    Path dir;

    private Dataset<Row> table(Path out, String name) {
        return SPARK.session().read().parquet(out.resolve(name).toString());
    }

    @Test
    void aTrialIsPromotedBeforeItsRungHasFilledAndTheOthersStopAtTheRung() throws Exception {
        List<String> segments = Collections.synchronizedList(new ArrayList<>());
        SweepHook hook = new SweepHook() {
            @Override
            public void staged(String trialId) {
            }

            @Override
            public void trialTaskStarts(String trialId, DataSource data, TrialWork work) {
                segments.add(trialId + " " + work.fromEpoch() + "-" + work.toEpoch());
            }
        };
        Path out = dir.resolve("asha");
        SweepSummary summary = SweepJob.run(SweepFiles.sweep(ASHA), SPARK.session(), LocalFiles.at(out), false, QUIET,
                hook, 0);

        int firstPromotion = segments.indexOf(segments.stream().filter(s -> s.endsWith(" 1-3")).findFirst().orElseThrow());
        assertThat(segments.indexOf("t0005 0-1")).as("the last trial's first segment, in " + segments)
                .isGreaterThan(firstPromotion);
        Map<String, Row> trials = table(out, "trials").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("trial_id"), r -> r));
        assertThat(trials).hasSize(6);
        long promoted = segments.stream().filter(s -> s.endsWith(" 1-3")).count();
        assertThat(summary.completed()).isEqualTo(promoted).isBetween(1L, 5L);
        assertThat(summary.stopped()).isEqualTo(6 - promoted);
        trials.values().forEach(r -> assertThat(r.<Integer>getAs("epochs_completed"))
                .isEqualTo(r.<String>getAs("status").equals("completed") ? 3 : 1));
        // The trials that went on are those the schedule picks from the recorded losses after epoch 1.
        Map<String, Double> atRung = table(out, "evaluations").where(col("epoch").equalTo(1)).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("trial_id"), r -> r.getAs("loss")));
        SweepConfig sweep = SweepFiles.sweep(ASHA);
        AshaSchedule schedule = new AshaSchedule(sweep.trials(), sweep.earlyStop(), sweep.metric(), 2, t -> 1);
        List<String> replayed = new ArrayList<>();
        for (AshaSchedule.Job job = schedule.next(); job != null; job = schedule.next()) {
            replayed.add(job.trial().trialId() + " " + job.from() + "-" + job.to());
            if (job.rung() == 0) {
                schedule.reached(job.index(), atRung.get(job.trial().trialId()));
            } else {
                schedule.ended(job.index());
            }
        }
        assertThat(segments).containsExactlyElementsOf(replayed);
        // Steps continue across the rung; a stopped trial keeps its rows up to the rung.
        assertThat(table(out, "evaluations").count()).isEqualTo(promoted * 3 + (6 - promoted));
        assertThat(table(out, "trajectories").where(col("worker").equalTo("avg")).count())
                .isEqualTo(2 * (promoted * 3 + (6 - promoted)));
        try (var staged = Files.list(out.resolve(SweepFolder.STAGING))) {
            assertThat(staged.toList()).isEmpty();
        }
    }

    @Test
    void aResumedAshaSweepPromotesWhatAnUninterruptedOneDoes() {
        SweepConfig sweep = SweepFiles.sweep(ASHA);
        Path whole = dir.resolve("whole");
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(whole), false, QUIET, SweepHook.NONE, 0);

        Path killed = dir.resolve("killed");
        assertThatThrownBy(() -> SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), false, QUIET,
                SweepFiles.killedAt(2), 0)).isInstanceOf(SweepFiles.Kill.class);
        assertThat(table(killed, "trials").collectAsList()).as("one promoted trial finished before the kill")
                .singleElement().satisfies(r -> assertThat(r.<String>getAs("status")).isEqualTo("completed"));
        SweepSummary resumed = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), true, QUIET);

        assertThat(resumed.timing().trialsRun()).isEqualTo(5);
        assertThat(SweepFiles.comparable(table(killed, "trials"))).isEqualTo(SweepFiles.comparable(table(whole, "trials")));
        assertThat(table(killed, "evaluations").count()).isEqualTo(table(whole, "evaluations").count());
        assertThat(table(killed, "runs").count()).isEqualTo(6);
    }

    @Test
    void aTrialOverTrialTimeoutEndsTimedOutWithoutRowsAndTheSweepGoesOn() throws Exception {
        Path out = dir.resolve("timeout");
        SweepConfig sweep = SweepFiles.sweep("""
                method: grid
                parameters:
                  training.epochs: {values: [1, 1000000, 2]}
                parallelism: 2
                trial_timeout: 3
                """);
        long start = System.nanoTime();
        SweepSummary summary = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(out), false, QUIET);

        assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(60);
        assertThat(summary.completed()).isEqualTo(2);
        assertThat(summary.timedOut()).isEqualTo(1);
        Row slow = table(out, "trials").where(col("trial_id").equalTo("t0001")).first();
        assertThat(slow.<String>getAs("status")).isEqualTo("timed_out");
        assertThat(slow.<String>getAs("error")).startsWith("trial_timeout of 3.0 s reached");
        assertThat(slow.<Integer>getAs("epochs_completed")).isZero();
        String runId = slow.getAs("run_id");
        assertThat(table(out, "trajectories").where(col("run_id").equalTo(runId)).count()).isZero();
        assertThat(out.resolve("trajectories").resolve("run_id=" + runId)).doesNotExist();
        // The runs row says what the trials row says: one status vocabulary.
        assertThat(table(out, "runs").where(col("run_id").equalTo(runId)).first().<String>getAs("status"))
                .isEqualTo("timed_out");
        try (var staged = Files.list(out.resolve(SweepFolder.STAGING))) {
            assertThat(staged.toList()).isEmpty();
        }
    }
}
