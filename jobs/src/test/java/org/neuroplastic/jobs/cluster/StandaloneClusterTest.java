package org.neuroplastic.jobs.cluster;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cluster.StandaloneCluster.LaunchedExecutor;
import org.neuroplastic.jobs.cluster.StandaloneCluster.Submission;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("cluster")
class StandaloneClusterTest {

    private static final Pattern APPLICATION = Pattern.compile("^census application=(\\S+) driver-pid=(\\d+)$",
            Pattern.MULTILINE);
    private static final Pattern EXECUTOR = Pattern.compile("^census executor=(\\S+) pid=(\\d+)$", Pattern.MULTILINE);

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void submittedTasksRunInOneExecutorJvmOnEachWorker() throws Exception {
        Path census = ApplicationJar.of(ExecutorCensus.class, temp);
        try (StandaloneCluster cluster = StandaloneCluster.start()) {
            Submission run = cluster.submit(ExecutorCensus.class.getName(), census, "4", "PT0S");
            assertThat(run.exitCode()).as(run.outputTail()).isZero();

            Matcher application = APPLICATION.matcher(run.output());
            assertThat(application.find()).as(run.outputTail()).isTrue();
            Map<String, Long> pidByExecutor = EXECUTOR.matcher(run.output()).results()
                    .collect(Collectors.toMap(line -> line.group(1), line -> Long.parseLong(line.group(2))));
            assertThat(pidByExecutor).as(run.outputTail()).hasSize(2);
            assertThat(pidByExecutor.values()).doesNotHaveDuplicates()
                    .doesNotContain(Long.parseLong(application.group(2)), ProcessHandle.current().pid());

            List<LaunchedExecutor> launched = cluster.launchedExecutors().stream()
                    .filter(executor -> executor.applicationId().equals(application.group(1)))
                    .toList();
            assertThat(launched).extracting(LaunchedExecutor::executorId)
                    .containsExactlyInAnyOrderElementsOf(pidByExecutor.keySet());
            assertThat(launched).extracting(LaunchedExecutor::workerId).doesNotHaveDuplicates();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void closeStopsMasterWorkersDriverAndExecutorsWhileAnApplicationRuns() throws Exception {
        Path census = ApplicationJar.of(ExecutorCensus.class, temp);
        List<ProcessHandle> running;
        CompletableFuture<Submission> submission;
        try (StandaloneCluster cluster = StandaloneCluster.start()) {
            submission = CompletableFuture.supplyAsync(() -> submitUnchecked(cluster, census));
            running = awaitExecutorJvms(cluster, 2, Duration.ofMinutes(2));
        }
        assertThat(running).filteredOn(ProcessHandle::isAlive).isEmpty();
        assertThat(submission.get(1, TimeUnit.MINUTES).exitCode()).isNotZero();
    }

    private static Submission submitUnchecked(StandaloneCluster cluster, Path census) {
        try {
            return cluster.submit(ExecutorCensus.class.getName(), census, "2", "PT10M");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cluster's processes once {@code executors} executor JVMs run among them: one per task. */
    private static List<ProcessHandle> awaitExecutorJvms(StandaloneCluster cluster, int executors, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<ProcessHandle> processes = cluster.processes();
            long executorJvms = processes.stream().filter(StandaloneClusterTest::isExecutor).count();
            if (executorJvms == executors) {
                // Master, workers, driver and executors: nothing else runs in a fresh cluster.
                assertThat(processes).hasSize(1 + 2 + 1 + executors);
                return processes;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + executors + " executor JVMs ran within " + timeout);
    }

    private static boolean isExecutor(ProcessHandle process) {
        return process.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend");
    }
}
