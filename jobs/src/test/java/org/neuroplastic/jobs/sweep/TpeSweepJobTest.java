package org.neuroplastic.jobs.sweep;

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
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole {@code method: tpe} sweeps on local[2]: reproducible whatever the timing, and resumable. */
class TpeSweepJobTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** Two start-up settings, then four drawn by the estimator, two trials in flight. */
    private static final String TPE = """
            method: tpe
            count: 6
            seed: 5
            parallelism: 2
            tpe: {startup_trials: 2}
            parameters:
              network.hidden.0.plasticity.hebbian.eta: {distribution: log_uniform, min: 0.0001, max: 0.1}
              network.updater.learning_rate: {distribution: log_uniform, min: 0.001, max: 0.1}
            """;

    @TempDir
    Path dir;

    private Dataset<Row> trials(Path out) {
        return SPARK.session().read().parquet(out.resolve("trials").toString());
    }

    @Test
    void theSameTpeSweepRunTwiceRecordsTheSameTrialsInTheSameOrder() {
        SweepConfig sweep = SweepFiles.sweep(TPE);
        SweepSummary first = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(dir.resolve("first")), false, QUIET);
        SweepSummary second = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(dir.resolve("second")), false, QUIET);

        assertThat(first.completed()).isEqualTo(6);
        assertThat(second.completed()).isEqualTo(6);
        assertThat(SweepFiles.comparable(trials(dir.resolve("second"))))
                .isEqualTo(SweepFiles.comparable(trials(dir.resolve("first"))));
        List<Row> settings = trials(dir.resolve("first")).orderBy("trial_id").select("parameters").collectAsList();
        assertThat(settings.stream().map(r -> r.getString(0)).distinct()).hasSize(6);
        // The start-up settings are random's; the later ones the estimator's, not random's.
        SweepConfig random = SweepFiles.sweep(TPE.replace("method: tpe", "method: random")
                .replace("parallelism: 2\n", "").replace("tpe: {startup_trials: 2}\n", ""));
        assertThat(settings.subList(0, 2)).extracting(r -> r.getString(0)).containsExactlyElementsOf(random.trials()
                .subList(0, 2).stream().map(t -> TrialsTable.json(t.parameters())).toList());
        assertThat(settings.subList(2, 6)).extracting(r -> r.getString(0)).doesNotContainAnyElementsOf(random.trials()
                .subList(2, 6).stream().map(t -> TrialsTable.json(t.parameters())).toList());
    }

    @Test
    void aResumedTpeSweepDrawsWhatAnUninterruptedOneDoes() {
        SweepConfig sweep = SweepFiles.sweep(TPE);
        Path whole = dir.resolve("whole");
        SweepJob.run(sweep, SPARK.session(), LocalFiles.at(whole), false, QUIET, SweepHook.NONE, 0);

        Path killed = dir.resolve("killed");
        assertThatThrownBy(() -> SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), false, QUIET,
                SweepFiles.killedAt(4), 0)).isInstanceOf(SweepFiles.Kill.class);
        assertThat(trials(killed).count()).isEqualTo(3);
        SweepSummary resumed = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(killed), true, QUIET);

        assertThat(resumed.timing().trialsRun()).isEqualTo(3);
        assertThat(SweepFiles.comparable(trials(killed))).isEqualTo(SweepFiles.comparable(trials(whole)));
        assertThat(SPARK.session().read().parquet(killed.resolve("runs").toString()).count()).isEqualTo(6);
    }

    @Test
    void averagedModeRunsTheDrawnSettingsOneAfterAnother() {
        // One epoch a trial: the order of the trials is the point, not their training.
        SweepConfig sweep = SweepConfig.read(ConfigDocument.parse("sweep.yaml", SweepFiles.BASE.replace("epochs: 2}",
                "epochs: 1}") + TPE.replace("parallelism: 2\n", "mode: averaged\n").replace("count: 6", "count: 3"),
                List.of()));
        SweepSummary summary = SweepJob.run(sweep, SPARK.session(), LocalFiles.at(dir.resolve("averaged")), false, QUIET);

        assertThat(summary.completed()).isEqualTo(3);
        assertThat(trials(dir.resolve("averaged")).where(col("executor_id").equalTo("driver")).count()).isEqualTo(3);
    }


}
