package org.neuroplastic.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.Neuroplastic;
import org.neuroplastic.jobs.cluster.StandaloneCluster.Submission;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parallel sweep submitted to a real standalone cluster of two executors with two cores each, two trials
 * in flight: the trials spread over both executors, and no executor ever trains two trials at once while
 * the other trains none (Spark alone would often put both on one executor: it offers a one-task job to the
 * executors in random order). Read from the application's Spark event log: every trial task's executor,
 * launch and finish time. Twelve short trials give Spark alone eleven chances to put a trial beside another:
 * without the placement this test failed (two trials at once on executor 1).
 */
@Tag("cluster")
class StandaloneSweepTest {

    private static final Pattern TRIAL = Pattern.compile("^trial (t\\d{4}) completed after 1 epochs on executor (\\S+):",
            Pattern.MULTILINE);

    /** One trial task as the event log records it. */
    private record TrialTask(String executor, long launched, long finished) {
        boolean overlaps(TrialTask other) {
            return launched < other.finished && other.launched < finished;
        }
    }

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void parallelSweepSpreadsItsTrialsSoThatNoExecutorRunsTwoWhileAnotherIdles() throws Exception {
        Path sweep = Files.writeString(temp.resolve("sweep.yaml"), """
                base:
                  data: {format: synthetic, generator: regression, rows: 1200, partitions: 2, seed: 5}
                  network:
                    n_in: 10
                    hidden: [{size: 16, activation: relu, plasticity: {hebbian: {enabled: true, rule: oja, eta: 0.01}}}]
                  training: {batch_size_per_worker: 16, epochs: 1}
                method: grid
                parameters:
                  network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05]}
                replicas: 2
                mode: parallel
                parallelism: 2
                """);
        Path out = temp.resolve("sweep-out");
        Path events = Files.createDirectories(temp.resolve("events"));
        try (StandaloneCluster cluster = StandaloneCluster.start(2)) {
            Submission run = cluster.submit(List.of("spark.eventLog.enabled=true", "spark.eventLog.compress=false",
                            "spark.eventLog.dir=" + events.toUri()), Neuroplastic.class.getName(), applicationJar(),
                    "sweep", "--config", sweep.toString(), "--out", out.toString());
            assertThat(run.exitCode()).as(run.outputTail()).isZero();
            List<String> executors = TRIAL.matcher(run.output()).results().map(m -> m.group(2)).toList();
            assertThat(executors).as(run.outputTail()).hasSize(12);
            Set<String> distinct = executors.stream().collect(Collectors.toSet());
            assertThat(distinct).as(run.outputTail()).hasSize(2).doesNotContain("driver");
        }
        assertThat(out.resolve("trials")).isDirectory();
        List<TrialTask> tasks = trialTasks(events);
        assertThat(tasks).hasSizeGreaterThanOrEqualTo(12);
        for (int i = 0; i < tasks.size(); i++) {
            for (int j = i + 1; j < tasks.size(); j++) {
                TrialTask a = tasks.get(i);
                TrialTask b = tasks.get(j);
                assertThat(a.executor().equals(b.executor()) && a.overlaps(b))
                        .as("trial tasks %s and %s ran at once on one executor while the other had none", a, b)
                        .isFalse();
            }
        }
    }

    /** The tasks of the jobs described as sweep trials, from the one event log in {@code folder}. */
    private static List<TrialTask> trialTasks(Path folder) throws Exception {
        List<Path> logs;
        try (Stream<Path> files = Files.list(folder)) {
            logs = files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
        assertThat(logs).as("event logs in %s", folder).hasSize(1);
        ObjectMapper json = new ObjectMapper();
        Set<Integer> trialStages = new HashSet<>();
        List<TrialTask> tasks = new ArrayList<>();
        for (String line : Files.readAllLines(logs.get(0))) {
            JsonNode event = json.readTree(line);
            switch (event.path("Event").asText()) {
                case "SparkListenerJobStart" -> {
                    if (event.path("Properties").path("spark.job.description").asText().startsWith("sweep trial ")) {
                        event.path("Stage IDs").forEach(id -> trialStages.add(id.asInt()));
                    }
                }
                case "SparkListenerTaskEnd" -> {
                    if (trialStages.contains(event.path("Stage ID").asInt())) {
                        JsonNode info = event.path("Task Info");
                        tasks.add(new TrialTask(info.path("Executor ID").asText(), info.path("Launch Time").asLong(),
                                info.path("Finish Time").asLong()));
                    }
                }
                default -> {
                }
            }
        }
        return tasks;
    }

    /** The packaged application jar beside target/lib. */
    private static Path applicationJar() throws Exception {
        Path target = Path.of(System.getProperty(StandaloneCluster.RUNTIME_CLASSPATH_PROPERTY)).getParent();
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "neuroplastic-jobs-*-app.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars).as("one application jar in " + target + "; run mvn package first").hasSize(1);
        return jars.get(0);
    }
}
