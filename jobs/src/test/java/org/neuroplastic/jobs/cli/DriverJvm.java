package org.neuroplastic.jobs.cli;

import org.neuroplastic.jobs.cluster.StandaloneCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The application jar's main class in a JVM of its own, as bin/neuroplastic runs it: a driver the tests can
 * kill. Needs {@code mvn package} (failsafe passes the runtime classpath's folder).
 */
public final class DriverJvm {

    private DriverJvm() {
    }

    /**
     * Starts {@code neuroplastic args...} with its output in {@code log}; {@code jvmOptions} such as
     * {@code -Dspark.hadoop.fs.defaultFS=...} come before the main class.
     */
    public static Process start(Path log, List<String> jvmOptions, String... args) throws IOException {
        Path lib = Path.of(System.getProperty("neuroplastic.runtime-classpath"));
        Path appJar;
        try (Stream<Path> files = Files.list(lib.getParent())) {
            appJar = files.filter(f -> f.getFileName().toString().matches("neuroplastic-jobs-.*-app\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no application jar in " + lib.getParent()
                            + " (run `mvn package` first)"));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(StandaloneCluster.jvmOptions());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(appJar.toAbsolutePath() + ":" + lib.toAbsolutePath() + "/*");
        command.add(Neuroplastic.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }
}
