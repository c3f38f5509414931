package org.neuroplastic.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and two Workers in JVMs of their own, run from
 * the jars of the application's runtime classpath (Spark's included), as ../shared/STACK-NOTES.md
 * describes. Use it with try-with-resources: {@link #close()} stops every process it started, and a
 * shutdown hook does the same if the test JVM exits first.
 *
 * <p>Reads three system properties that the failsafe configuration of the poms sets:
 * {@value #ADD_OPENS_PROPERTY} (deploy/add-opens.txt, which the root pom reads), {@value #JVM_OPTIONS_PROPERTY}
 * (the root pom's {@code jvm.options}) and {@value #RUNTIME_CLASSPATH_PROPERTY} (the folder {@code copy-dependencies} fills at {@code package}).
 *
 * <p>The benchmarks' {@code LoopbackCluster} starts and stops its daemons the same way, for a driver in the
 * benchmark's own JVM. The two stay apart because neither module can hold the one both would use: bench
 * depends on jobs, so jobs' tests cannot depend on bench, and jobs' main code is the application jar, where a
 * launcher of test clusters does not belong; one copy would need a module of its own.
 */
public final class StandaloneCluster implements AutoCloseable {

    static final String ADD_OPENS_PROPERTY = "neuroplastic.add-opens";
    static final String JVM_OPTIONS_PROPERTY = "neuroplastic.jvm-options";
    static final String RUNTIME_CLASSPATH_PROPERTY = "neuroplastic.runtime-classpath";

    private static final String LOOPBACK = "127.0.0.1";
    private static final int WORKERS = 2;
    private static final String MEMORY_PER_WORKER = "2g";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Path sparkHome;
    private final List<String> jvmOptions;
    private final int masterPort;
    private final int coresPerWorker;
    private final String masterJson;
    /** The Master first, then the Workers, then the drivers. */
    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Thread stopOnExit = new Thread(this::stopAll, "standalone-cluster-stop");
    private int submissions;

    private StandaloneCluster(Path sparkHome, List<String> jvmOptions, int masterPort, int masterUiPort,
                              int coresPerWorker) {
        this.sparkHome = sparkHome;
        this.coresPerWorker = coresPerWorker;
        this.jvmOptions = jvmOptions;
        this.masterPort = masterPort;
        this.masterJson = "http://" + LOOPBACK + ":" + masterUiPort + "/json/";
    }

    /**
     * Starts a Master and two Workers (1 core, 2g each) and returns once the Master lists both workers
     * ALIVE. The Spark home, the processes' logs and the submissions' output stay under
     * {@code target/standalone-cluster/} for reading after a failure.
     */
    public static StandaloneCluster start() throws IOException, InterruptedException {
        return start(1);
    }

    /** As {@link #start()}, with workers of {@code coresPerWorker} cores each, so each executor has as many. */
    public static StandaloneCluster start(int coresPerWorker) throws IOException, InterruptedException {
        Path runtimeClasspath = Path.of(requiredProperty(RUNTIME_CLASSPATH_PROPERTY));
        List<String> jvmOptions = jvmOptions();
        Path sparkHome = sparkHome(runtimeClasspath);
        int[] ports = freeLoopbackPorts(2 + WORKERS);
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, jvmOptions, ports[0], ports[1], coresPerWorker);
        Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
        try {
            cluster.startDaemons(ports);
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        return cluster;
    }

    /** The URL applications are submitted to. */
    public String masterUrl() {
        return "spark://" + LOOPBACK + ":" + masterPort;
    }

    /**
     * Runs {@code mainClass} of {@code appJar} with SparkSubmit in client mode, the driver in a JVM of
     * its own, and waits for it to end.
     *
     * @throws IllegalStateException if it runs longer than 10 minutes; the driver is stopped first
     */
    public Submission submit(String mainClass, Path appJar, String... args)
            throws IOException, InterruptedException {
        return submit(List.of(), mainClass, appJar, args);
    }

    /** As {@link #submit(String, Path, String...)}, with {@code sparkConf} ({@code key=value}) as more --conf. */
    public Submission submit(List<String> sparkConf, String mainClass, Path appJar, String... args)
            throws IOException, InterruptedException {
        Path output;
        Process driver;
        synchronized (this) {
            submissions++;
            output = sparkHome.resolve("submission-" + submissions + ".log");
            List<String> command = javaCommand("-Xmx1g", "org.apache.spark.deploy.SparkSubmit");
            command.addAll(List.of(
                    "--master", masterUrl(),
                    "--deploy-mode", "client",
                    "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", jvmOptions),
                    "--conf", "spark.driver.host=" + LOOPBACK,
                    "--conf", "spark.ui.enabled=false",
                    // Every task waits for an executor on each worker, so work spreads over both JVMs.
                    "--conf", "spark.cores.max=" + WORKERS * coresPerWorker,
                    "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
                    // One native BLAS thread per task: more would oversubscribe the machine.
                    "--conf", "spark.executorEnv.OMP_NUM_THREADS=1"));
            for (String setting : sparkConf) {
                command.addAll(List.of("--conf", setting));
            }
            command.addAll(List.of("--class", mainClass, appJar.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            driver = launch(command, output);
        }
        if (!driver.waitFor(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            stop(List.of(driver.toHandle()));
            throw new IllegalStateException("spark-submit of " + mainClass + " did not end within "
                    + SUBMIT_TIMEOUT + "; its output is in " + output + ":\n" + tail(output));
        }
        return new Submission(driver.exitValue(), Files.readString(output, StandardCharsets.UTF_8), output);
    }

    /**
     * The executors the workers have launched since the cluster started, running or ended, as the
     * workers themselves report them.
     */
    public List<LaunchedExecutor> launchedExecutors() throws IOException, InterruptedException {
        List<LaunchedExecutor> launched = new ArrayList<>();
        for (JsonNode listed : getJson(masterJson).path("workers")) {
            JsonNode worker = getJson(listed.path("webuiaddress").asText() + "/json/");
            String workerId = worker.path("id").asText();
            for (String list : List.of("executors", "finishedexecutors")) {
                for (JsonNode executor : worker.path(list)) {
                    launched.add(new LaunchedExecutor(workerId, executor.path("appid").asText(),
                            executor.path("id").asText()));
                }
            }
        }
        return launched;
    }

    /** Every live process this cluster started (Master, Workers, drivers) and every live descendant. */
    public synchronized List<ProcessHandle> processes() {
        return started.stream()
                .map(Process::toHandle)
                .flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    /** Stops every process this cluster started, with their descendants, waiting until all are gone. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // The hook is running or about to run stopAll itself.
        }
        stopAll();
    }

    private void startDaemons(int[] ports) throws IOException, InterruptedException {
        launch(javaCommand("-Xmx512m", "org.apache.spark.deploy.master.Master",
                "--host", LOOPBACK, "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(ports[1])),
                sparkHome.resolve("master.log"));
        for (int i = 0; i < WORKERS; i++) {
            launch(javaCommand("-Xmx512m", "org.apache.spark.deploy.worker.Worker",
                    "--host", LOOPBACK, "--cores", String.valueOf(coresPerWorker), "--memory", MEMORY_PER_WORKER,
                    "--webui-port", String.valueOf(ports[2 + i]), "--work-dir", sparkHome.resolve("work").toString(),
                    masterUrl()),
                    sparkHome.resolve("worker-" + (i + 1) + ".log"));
        }
        awaitAliveWorkers();
    }

    private void awaitAliveWorkers() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        long alive = 0;
        while (Instant.now().isBefore(deadline)) {
            List<Process> dead = deadDaemons();
            if (!dead.isEmpty()) {
                throw new IllegalStateException("a cluster process exited during start-up (exit code "
                        + dead.get(0).exitValue() + "); logs are in " + sparkHome + ":\n" + daemonLogTails());
            }
            try {
                JsonNode master = getJson(masterJson);
                // Spark moves to the next port when one is taken; the workers would then wait in vain.
                if (!master.path("url").asText().equals(masterUrl())) {
                    throw new IllegalStateException("the Master listens at " + master.path("url").asText()
                            + ", expected " + masterUrl() + " (port taken meanwhile?); logs are in " + sparkHome);
                }
                alive = countAlive(master.path("workers"));
                if (alive == WORKERS) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // The Master's web UI is not up yet: poll again.
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IllegalStateException("the Master at " + masterJson + " listed " + alive + " ALIVE workers, expected "
                + WORKERS + ", after " + STARTUP_TIMEOUT + "; logs are in " + sparkHome + ":\n" + daemonLogTails());
    }

    private static long countAlive(JsonNode workers) {
        long alive = 0;
        for (JsonNode worker : workers) {
            if (worker.path("state").asText().equals("ALIVE")) {
                alive++;
            }
        }
        return alive;
    }

    private synchronized List<Process> deadDaemons() {
        return started.stream().filter(process -> !process.isAlive()).toList();
    }

    private String daemonLogTails() throws IOException {
        StringBuilder tails = new StringBuilder();
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(sparkHome, "{master,worker-*}.log")) {
            for (Path log : logs) {
                tails.append("--- ").append(log.getFileName()).append('\n').append(tail(log));
            }
        }
        return tails.toString();
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private List<String> javaCommand(String heap, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        // Temporary files stay inside the cluster's folder even when a JVM is killed before cleaning up.
        command.add("-Djava.io.tmpdir=" + sparkHome.resolve("tmp"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private synchronized Process launch(List<String> command, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(sparkHome.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("SPARK_") || name.startsWith("HADOOP_"));
        environment.put("SPARK_HOME", sparkHome.toString());
        // Without it executors fail with "Cannot find any build directories" (STACK-NOTES.md).
        environment.put("SPARK_SCALA_VERSION", "2.12");
        // Spark's web UIs bind to every interface unless told otherwise.
        environment.put("SPARK_LOCAL_IP", LOOPBACK);
        environment.put("SPARK_LOCAL_DIRS", sparkHome.resolve("local").toString());
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private void stopAll() {
        List<ProcessHandle> roots;
        synchronized (this) {
            roots = started.stream().map(Process::toHandle).toList();
        }
        if (roots.isEmpty()) {
            return;
        }
        // The Master goes first, so that no worker is told to replace an executor that is being stopped.
        try {
            stop(roots.subList(0, 1));
        } finally {
            stop(roots.subList(1, roots.size()));
        }
    }

    /**
     * Stops {@code roots} and all their descendants: SIGTERM, then SIGKILL for what is still alive after
     * a grace period; throws if anything survives that.
     */
    static void stop(List<ProcessHandle> roots) {
        List<ProcessHandle> tree = roots.stream()
                .flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .filter(ProcessHandle::isAlive)
                .toList();
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, STOP_GRACE);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, STOP_GRACE);
        List<Long> survivors = tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("processes still alive after SIGKILL: " + survivors);
        }
    }

    private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (ProcessHandle process : processes) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            try {
                process.onExit().get(Math.max(left, 0), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path sparkHome(Path runtimeClasspath) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(runtimeClasspath)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (NoSuchFileException e) {
            jars = List.of();
        }
        if (jars.stream().noneMatch(jar -> jar.getFileName().toString().startsWith("spark-core_"))) {
            throw new IllegalStateException(RUNTIME_CLASSPATH_PROPERTY + " " + runtimeClasspath
                    + " must hold the application's runtime jars, Spark's included, found " + jars.size()
                    + " jars and no spark-core: run `mvn package` first");
        }
        Path clusters = runtimeClasspath.getParent().resolve("standalone-cluster");
        Files.createDirectories(clusters);
        Path home = Files.createTempDirectory(clusters, "spark-home-");
        Path jarsDir = Files.createDirectory(home.resolve("jars"));
        for (Path jar : jars) {
            Files.createSymbolicLink(jarsDir.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        // Spark's launcher treats a home with a RELEASE file as a distribution and takes jars/ from it.
        Files.writeString(home.resolve("RELEASE"), "Spark from the Maven jars of " + runtimeClasspath + "\n");
        Files.createDirectory(home.resolve("local"));
        Files.createDirectory(home.resolve("tmp"));
        return home;
    }

    static int[] freeLoopbackPorts(int count) throws IOException {
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

    /** {@code jobs/target}, where the runtime-classpath folder that failsafe names lies. */
    static Path targetFolder() {
        return Path.of(requiredProperty(RUNTIME_CLASSPATH_PROPERTY)).toAbsolutePath().getParent();
    }

    /**
     * The options of every JVM the cluster tests start, daemons, drivers and executors: the opens Spark needs
     * ({@value #ADD_OPENS_PROPERTY}) and the options bin/neuroplastic runs jobs with ({@value #JVM_OPTIONS_PROPERTY}).
     */
    public static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(Arrays.asList(requiredProperty(ADD_OPENS_PROPERTY).trim().split("\\s+")));
        options.addAll(Arrays.asList(requiredProperty(JVM_OPTIONS_PROPERTY).trim().split("\\s+")));
        return List.copyOf(options);
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name
                    + " must be set (the failsafe configuration of the root pom sets it), found none");
        }
        return value;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The end of one spark-submit run.
     *
     * @param exitCode   the driver JVM's exit code
     * @param output     what the driver printed, stdout and stderr interleaved
     * @param outputFile where that output is kept
     */
    public record Submission(int exitCode, String output, Path outputFile) {

        /** The last lines of the output, for assertion messages. */
        public String outputTail() {
            return tail(outputFile);
        }
    }

    /**
     * An executor as the worker that launched it reports it.
     *
     * @param workerId      the worker's id, e.g. worker-20261128163000-127.0.0.1-41234
     * @param applicationId the application the executor served
     * @param executorId    the executor's id within that application, as Spark's {@code SparkEnv} names it
     */
    public record LaunchedExecutor(String workerId, String applicationId, String executorId) {
    }
}
