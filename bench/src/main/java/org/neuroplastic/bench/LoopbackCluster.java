package org.neuroplastic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 for a benchmark's in-process driver: a Master and one Worker per
 * executor (1 core each) in JVMs of their own, run from the application's jars (its {@code lib/} folder and
 * the application jar, linked into a Spark home as ../shared/STACK-NOTES.md describes). {@link #close()}
 * stops every process it started, with their descendants (the executors), and a shutdown hook does the same
 * if the benchmark exits first. The test suite's {@code StandaloneCluster} does the same for spark-submit (it
 * says why the two are not one class).
 */
final class LoopbackCluster implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path home;
    private final int executors;
    private final String executorMemory;
    private final List<String> jvmOptions;
    private final int masterPort;
    private final String masterJson;
    private final List<Process> started = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopAll, "loopback-cluster-stop");

    private LoopbackCluster(Path home, int executors, String executorMemory, List<String> jvmOptions, int masterPort,
                            int masterUiPort) {
        this.home = home;
        this.executors = executors;
        this.executorMemory = executorMemory;
        this.jvmOptions = jvmOptions;
        this.masterPort = masterPort;
        this.masterJson = "http://" + LOOPBACK + ":" + masterUiPort + "/json/";
    }

    /**
     * Starts the Master and {@code executors} Workers (1 core, {@code executorMemory} each) and returns once
     * the Master lists them all ALIVE. The Spark home and the daemons' logs are a new folder under
     * {@code parent}, kept for reading after a failure.
     *
     * @param appJars  the application's jars, on every daemon's and executor's class path; {@code lib/} beside
     *                 the first must hold the runtime jars, Spark's included
     * @param jvmOptions the options every JVM of the cluster gets: the {@code --add-opens} Java 17 needs, the JIT compiler
     */
    static LoopbackCluster start(int executors, String executorMemory, List<Path> appJars, List<String> jvmOptions,
                                 Path parent)
            throws IOException, InterruptedException {
        Path home = sparkHome(appJars, parent);
        int[] ports = freeLoopbackPorts(2 + executors);
        LoopbackCluster cluster = new LoopbackCluster(home, executors, executorMemory, jvmOptions, ports[0], ports[1]);
        Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
        try {
            cluster.launch(cluster.java("org.apache.spark.deploy.master.Master", "--host", LOOPBACK,
                    "--port", String.valueOf(ports[0]), "--webui-port", String.valueOf(ports[1])), "master.log");
            for (int i = 0; i < executors; i++) {
                cluster.launch(cluster.java("org.apache.spark.deploy.worker.Worker", "--host", LOOPBACK,
                        "--cores", "1", "--memory", executorMemory, "--webui-port", String.valueOf(ports[2 + i]),
                        "--work-dir", home.resolve("work").toString(), cluster.masterUrl()), "worker-" + (i + 1) + ".log");
            }
            cluster.awaitWorkers();
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    String masterUrl() {
        return "spark://" + LOOPBACK + ":" + masterPort;
    }

    Path home() {
        return home;
    }

    /**
     * The driver's settings for this cluster: one executor of 1 core per worker, each holding
     * {@code executorMemory}, all registered before the first job, one native thread each.
     */
    Map<String, String> driverSettings() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.cores", "1");
        conf.put("spark.cores.max", String.valueOf(executors));
        conf.put("spark.executor.memory", executorMemory);
        conf.put("spark.executor.extraJavaOptions", String.join(" ", jvmOptions));
        conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        return conf;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to run stopAll itself.
        }
        stopAll();
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Djava.io.tmpdir=" + home.resolve("tmp"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(home.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private synchronized void launch(List<String> command, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve(log).toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("SPARK_") || name.startsWith("HADOOP_"));
        environment.put("SPARK_HOME", home.toString());
        // Without it executors fail with "Cannot find any build directories" (STACK-NOTES.md).
        environment.put("SPARK_SCALA_VERSION", "2.12");
        environment.put("SPARK_LOCAL_IP", LOOPBACK);
        environment.put("SPARK_LOCAL_DIRS", home.resolve("local").toString());
        environment.put("OMP_NUM_THREADS", "1");
        started.add(builder.start());
    }

    private void awaitWorkers() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ObjectMapper json = new ObjectMapper();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        long alive = 0;
        while (Instant.now().isBefore(deadline)) {
            synchronized (this) {
                for (Process process : started) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("a cluster process exited during start-up (exit code "
                                + process.exitValue() + "); its log is in " + home);
                    }
                }
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(masterJson))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode master = json.readTree(response.body());
                if (!master.path("url").asText().equals(masterUrl())) {
                    throw new IllegalStateException("the Master listens at " + master.path("url").asText()
                            + ", expected " + masterUrl() + "; its log is in " + home);
                }
                alive = 0;
                for (JsonNode worker : master.path("workers")) {
                    if (worker.path("state").asText().equals("ALIVE")) {
                        alive++;
                    }
                }
                if (alive == executors) {
                    return;
                }
            } catch (IOException notUpYet) {
                // The Master's web UI is not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the Master listed " + alive + " ALIVE workers, expected " + executors
                + ", after " + STARTUP_TIMEOUT + "; logs are in " + home);
    }

    /** SIGTERM to every process started and its descendants, the Master first; SIGKILL after a grace period. */
    private void stopAll() {
        List<ProcessHandle> roots;
        synchronized (this) {
            roots = started.stream().map(Process::toHandle).toList();
        }
        List<ProcessHandle> tree = roots.stream()
                .flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .filter(ProcessHandle::isAlive)
                .toList();
        tree.forEach(ProcessHandle::destroy);
        await(tree);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        await(tree);
    }

    private static void await(List<ProcessHandle> processes) {
        Instant deadline = Instant.now().plus(STOP_GRACE);
        for (ProcessHandle process : processes) {
            long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
            try {
                process.onExit().get(left, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception stillRunning) {
                return;
            }
        }
    }

    private static Path sparkHome(List<Path> appJars, Path parent) throws IOException {
        Path lib = appJars.get(0).toAbsolutePath().getParent().resolve("lib");
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.stream().noneMatch(jar -> jar.getFileName().toString().startsWith("spark-core_"))) {
            throw new IllegalStateException(lib + " must hold the application's runtime jars, Spark's included; "
                    + "build them with: mvn -B -q package -DskipTests");
        }
        Files.createDirectories(parent);
        Path home = Files.createTempDirectory(parent, "spark-home-");
        Path jarsDir = Files.createDirectory(home.resolve("jars"));
        for (Path jar : jars) {
            Files.createSymbolicLink(jarsDir.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        for (Path appJar : appJars) {
            Files.createSymbolicLink(jarsDir.resolve(appJar.getFileName()), appJar.toAbsolutePath());
        }
        // Spark's launcher takes a home with a RELEASE file for a distribution and reads jars/ from it.
        Files.writeString(home.resolve("RELEASE"), "Spark from the Maven jars of " + lib + "\n", StandardCharsets.UTF_8);
        Files.createDirectory(home.resolve("local"));
        Files.createDirectory(home.resolve("tmp"));
        return home;
    }

    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK)));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
