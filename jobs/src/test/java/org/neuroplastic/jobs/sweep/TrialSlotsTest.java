package org.neuroplastic.jobs.sweep;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parallel mode's {@code parallelism}: how many trials are in flight, and the data files around them. */
class TrialSlotsTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @TempDir
    Path dir;

    private static final String FOUR = """
            method: grid
            parameters:
              network.updater.learning_rate: {values: [0.001, 0.003, 0.01, 0.03]}
            """;

    /** Counts the trial tasks running at once, from Spark's own events. */
    private static final class InFlight extends SparkListener {
        private final Set<Integer> trialStages = ConcurrentHashMap.newKeySet();
        private int running;
        private int most;

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            String description = start.properties().getProperty("spark.job.description");
            if (description != null && description.startsWith("sweep trial ")) {
                start.stageIds().foreach(id -> trialStages.add((Integer) id));
            }
        }

        @Override
        public synchronized void onTaskStart(SparkListenerTaskStart task) {
            if (trialStages.contains(task.stageId())) {
                most = Math.max(most, ++running);
            }
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
            if (trialStages.contains(task.stageId())) {
                running--;
            }
        }

        synchronized int most() {
            return most;
        }
    }

    private int mostInFlight(String sweep, String name) throws Exception {
        InFlight listener = new InFlight();
        SPARK.session().sparkContext().addSparkListener(listener);
        try {
            SweepSummary summary = SweepJob.run(SweepFiles.sweep(sweep), SPARK.session(),
                    LocalFiles.at(dir.resolve(name)), false, QUIET);
            assertThat(summary.completed()).isEqualTo(4);
            SPARK.session().sparkContext().listenerBus().waitUntilEmpty();
            return listener.most();
        } finally {
            SPARK.session().sparkContext().removeSparkListener(listener);
        }
    }

    @Test
    void parallelismBoundsTheTrialsInFlightAndDefaultsToTheTaskSlots() throws Exception {
        assertThat(mostInFlight(FOUR + "parallelism: 1\n", "one")).isEqualTo(1);
        assertThat(mostInFlight(FOUR, "slots")).isBetween(1, 2);
    }

    @Test
    void parallelismIsRefusedOutsideOneToTheTrialCountAndInAveragedMode() {
        assertThatThrownBy(() -> SweepFiles.sweep(FOUR + "parallelism: 5\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("parallelism must be between 1 and the sweep's 4 trials (or slots, the "
                        + "cluster's task slots), found 5");
        assertThatThrownBy(() -> SweepFiles.sweep(FOUR + "parallelism: 0\n"))
                .hasMessageContaining("parallelism must be between 1 and the sweep's 4 trials").hasMessageEndingWith("found 0");
        assertThatThrownBy(() -> SweepFiles.sweep(FOUR + "parallelism: many\n"))
                .hasMessageContaining("parallelism must be an integer or slots");
        assertThatThrownBy(() -> SweepFiles.sweep(FOUR + "mode: averaged\nparallelism: 2\n"))
                .hasMessageContaining("parallelism applies only to mode parallel");
        assertThat(SweepFiles.sweep(FOUR + "parallelism: slots\n").parallelism()).isNull();
        assertThat(SweepFiles.sweep(FOUR).parallelism()).isNull();
        assertThat(SweepFiles.sweep(FOUR + "parallelism: 4\n").parallelism()).isEqualTo(4);
    }

    @Test
    void parallelismAboveTheApplicationsTaskSlotsIsRefusedBeforeAnythingIsWritten() {
        Path out = dir.resolve("too-many");
        assertThatThrownBy(() -> SweepJob.run(SweepFiles.sweep(FOUR + "parallelism: 3\n"), SPARK.session(),
                LocalFiles.at(out), false, QUIET)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("sweep.yaml: parallelism 3 exceeds the 2 task slots this application can have "
                        + "(master local[2];").hasMessageNotContaining("\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void resumingWithAnotherParallelismIsTheSameStudy() {
        SweepConfig two = SweepFiles.sweep(FOUR + "parallelism: 2\n");
        assertThat(two.sameStudyAs(SweepFiles.sweep(FOUR).effectiveYaml())).isTrue();
        assertThat(two.sameStudyAs(SweepFiles.sweep(FOUR.replace("0.03]", "0.1]")).effectiveYaml())).isFalse();
    }

    @Test
    void eachDataSetIsReadOncePerJvmFromFilesThatAreGoneWhenTheSweepEnds() throws Exception {
        Path out = dir.resolve("files");
        List<String> seenDuringTrials = new ArrayList<>();
        long loadsBefore = TrainingDataCache.loads();
        SweepHook hook = new SweepHook() {
            @Override
            public void staged(String trialId) {
            }

            @Override
            public void trialTaskStarts(String trialId, DataSource data, TrialWork work) {
                seenDuringTrials.add(trialId + ":" + partFiles(out));
            }
        };
        SweepSummary summary = SweepJob.run(SweepFiles.sweep(FOUR), SPARK.session(), LocalFiles.at(out), false, QUIET,
                hook, 0);

        assertThat(summary.completed()).isEqualTo(4);
        assertThat(seenDuringTrials).hasSize(4).allSatisfy(s -> assertThat(s).doesNotEndWith(":0"));
        assertThat(TrainingDataCache.loads() - loadsBefore).as("data sets read").isEqualTo(1);
        assertThat(TrainingDataCache.held()).isZero();
        assertThat(partFiles(out)).isZero();
        assertThat(out.resolve(SweepFolder.STAGING)).isEmptyDirectory();
        assertThat(summary.timing().trialsRun()).isEqualTo(4);
        assertThat(summary.timing().firstStarted()).isBeforeOrEqualTo(summary.timing().lastEnded());
        assertThat(summary.describe(summary.timing().firstStarted(), summary.timing().lastEnded()))
                .contains("4 trials run in").contains("fixed_seconds 0.0");
    }

    private static long partFiles(Path out) {
        try (Stream<Path> all = Files.walk(out)) {
            return all.filter(p -> p.getFileName().toString().startsWith(TrainingDataFiles.PART))
                    .filter(p -> out.relativize(p).toString().startsWith(SweepFolder.STAGING + "/data-")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
