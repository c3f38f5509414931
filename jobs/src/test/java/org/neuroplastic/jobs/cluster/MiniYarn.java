package org.neuroplastic.jobs.cluster;

import org.apache.spark.deploy.yarn.Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real YARN on 127.0.0.1: Hadoop's MiniYARNCluster (one resource manager with the FIFO scheduler, two
 * node managers) in a JVM of its own, and {@link #submit} to run an application on it with
 * {@code SparkSubmit --master yarn}, as ../shared/STACK-NOTES.md describes.
 *
 * <p>The cluster runs in its own JVM because its node managers launch the application's containers as
 * their child processes, with {@code $JAVA_HOME/bin/java} from their environment, and {@link #close()}
 * must be able to stop that whole process tree; and because MiniYARNCluster writes under {@code target/}
 * of its working directory, which must be a scratch folder rather than the checkout. Everything, logs
 * of the node managers' containers included, stays in a fresh folder under {@code target/mini-yarn/} for
 * reading after a failure.
 *
 * <p>{@link #start()} gives a YARN whose default file system is the local one: applications may then read
 * and write local paths, and Spark stages the application's files in the cluster's folder.
 * {@link #start(MiniHdfs)} gives one whose default file system is that HDFS, as on a real Hadoop
 * cluster: Spark stages in HDFS, and paths without a scheme resolve there. The end-to-end run these
 * fixtures are for, {@code train} in cluster deploy mode with {@code --config} and {@code --out} in HDFS,
 * is {@link YarnOnHdfsTest}'s disabled test until the jobs take Hadoop paths.
 *
 * <p>Reads the same system properties as {@link StandaloneCluster}: the add-opens list and the folder of
 * the application's runtime jars, Spark's included. The cluster's JVM runs on this JVM's class path,
 * which holds what MiniYARNCluster needs beyond those jars (hadoop-client-minicluster, JUnit 4 and
 * BouncyCastle, all test dependencies).
 */
public final class MiniYarn implements AutoCloseable {

    /** Where the driver runs: in the spark-submit JVM, or in the application master's container. */
    public enum DeployMode {
        CLIENT, CLUSTER;

        String argument() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Pattern APPLICATION_ID = Pattern.compile("application_\\d+_\\d+");
    /** Executors of one core each, one per quickstart worker; 1500m leaves a node room for two. */
    private static final int EXECUTORS = 2;
    private static final String EXECUTOR_MEMORY = "1500m";

    private final Path folder;
    private final Path confDir;
    private final Path sparkJars;
    private final List<String> jvmOptions;
    private final boolean localDefaultFs;
    /** The cluster's JVM first, then the spark-submit JVMs. */
    private final List<Process> started = new ArrayList<>();
    private final Thread stopOnExit = new Thread(this::stopAll, "mini-yarn-stop");
    private int submissions;

    private MiniYarn(Path folder, List<String> jvmOptions, boolean localDefaultFs) {
        this.folder = folder;
        this.confDir = folder.resolve("conf");
        this.sparkJars = folder.resolve("spark-jars");
        this.jvmOptions = jvmOptions;
        this.localDefaultFs = localDefaultFs;
    }

    /** Starts a YARN whose default file system is the local one; returns once both node managers have registered. */
    public static MiniYarn start() throws IOException, InterruptedException {
        return start(Optional.empty());
    }

    /** Starts a YARN whose default file system is {@code hdfs}; returns once both node managers have registered. */
    public static MiniYarn start(MiniHdfs hdfs) throws IOException, InterruptedException {
        return start(Optional.of(hdfs.uri()));
    }

    private static MiniYarn start(Optional<URI> defaultFs) throws IOException, InterruptedException {
        requireHostNameOnLoopback();
        Path runtimeClasspath = Path.of(StandaloneCluster.requiredProperty(StandaloneCluster.RUNTIME_CLASSPATH_PROPERTY));
        List<String> jvmOptions = StandaloneCluster.jvmOptions();
        Path parent = Files.createDirectories(StandaloneCluster.targetFolder().resolve("mini-yarn"));
        MiniYarn yarn = new MiniYarn(Files.createTempDirectory(parent, "yarn-"), jvmOptions, defaultFs.isEmpty());
        Runtime.getRuntime().addShutdownHook(yarn.stopOnExit);
        try {
            yarn.linkSparkJars(runtimeClasspath);
            yarn.writeSubmitterLogging();
            yarn.startCluster(defaultFs);
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                yarn.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        return yarn;
    }

    /** The folder holding {@code yarn-site.xml} and {@code core-site.xml}: a {@code HADOOP_CONF_DIR} for clients. */
    public Path hadoopConfDir() {
        return confDir;
    }

    /**
     * Runs {@code mainClass} of {@code appJar} with SparkSubmit on this YARN, two executors of one core,
     * and waits for it to end. The spark-submit JVM and every container of the application bind to
     * 127.0.0.1 only. An application that fails is not attempted a second time.
     *
     * @throws IllegalStateException if it runs longer than 10 minutes; spark-submit is stopped first
     */
    public YarnSubmission submit(DeployMode mode, String mainClass, Path appJar, String... args)
            throws IOException, InterruptedException {
        Path output;
        Process submitter;
        synchronized (this) {
            submissions++;
            output = folder.resolve("submission-" + submissions + "-" + mode.argument() + ".log");
            submitter = launch(sparkSubmit(mode, mainClass, appJar, args), output, Map.of(
                    "HADOOP_CONF_DIR", confDir.toString(),
                    "SPARK_LOCAL_DIRS", Files.createDirectories(folder.resolve("local")).toString()));
        }
        if (!submitter.waitFor(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            StandaloneCluster.stop(List.of(submitter.toHandle()));
            throw new IllegalStateException("spark-submit of " + mainClass + " did not end within " + SUBMIT_TIMEOUT
                    + "; its output is in " + output + ":\n" + StandaloneCluster.tail(output));
        }
        String submitterOutput = Files.readString(output, StandardCharsets.UTF_8);
        Matcher id = APPLICATION_ID.matcher(submitterOutput);
        Optional<String> applicationId = id.find() ? Optional.of(id.group()) : Optional.empty();
        List<Path> driverLogs = mode == DeployMode.CLIENT ? List.of(output)
                : applicationId.map(this::applicationMasterLogs).orElse(List.of());
        return new YarnSubmission(mode, submitter.exitValue(), applicationId, output, driverLogs);
    }

    /**
     * The containers the node managers launched for {@code applicationId}, as their log folders
     * ({@code <node manager log dir>/<application>/<container>}); the application master's is the one
     * whose id ends in {@code _000001}.
     */
    public List<Path> containerLogFolders(String applicationId) {
        // MiniYARNCluster picks its work folder (target/test/data/<name>-<random> in Hadoop 3.3) itself.
        try (Stream<Path> logDirs = Files.find(folder.resolve("target"), 6, (dir, attributes) -> attributes.isDirectory()
                && dir.getFileName().toString().startsWith(MiniYarnDaemon.CLUSTER_NAME + "-logDir-nm-"))) {
            return logDirs.map(dir -> dir.resolve(applicationId))
                    .filter(Files::isDirectory)
                    .flatMap(MiniYarn::children)
                    .sorted()
                    .toList();
        } catch (NoSuchFileException noContainerYet) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops spark-submit JVMs, the cluster and its containers, waiting until all are gone. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // The hook is running or about to run stopAll itself.
        }
        stopAll();
    }

    private List<String> sparkSubmit(DeployMode mode, String mainClass, Path appJar, String... args) {
        String javaOptions = String.join(" ", jvmOptions);
        List<String> command = javaCommand(List.of("-Xmx1g", "-Dlog4j2.configurationFile=" + submitterLogging()),
                confDir + ":" + sparkJars + "/*", "org.apache.spark.deploy.SparkSubmit");
        command.addAll(List.of(
                "--master", "yarn",
                "--deploy-mode", mode.argument(),
                // The containers take Spark from the jars already on this machine instead of a 400 MB upload.
                "--conf", "spark.yarn.jars=local:" + sparkJars + "/*",
                // The UI's filter class (AmIpFilter) is in hadoop-yarn-server-web-proxy, which Spark's jars lack.
                "--conf", "spark.ui.enabled=false",
                // The driver in cluster mode, the application master in client mode, and the executors.
                "--conf", "spark.driver.extraJavaOptions=" + javaOptions,
                "--conf", "spark.yarn.am.extraJavaOptions=" + javaOptions,
                "--conf", "spark.executor.extraJavaOptions=" + javaOptions,
                // Without it Spark sees the host name resolve to loopback and binds the machine's other address.
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=" + LOOPBACK,
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=" + LOOPBACK,
                // One core per container: native BLAS threads beyond it would oversubscribe the machine.
                "--conf", "spark.yarn.appMasterEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.executor.instances=" + EXECUTORS,
                "--conf", "spark.executor.cores=1",
                "--conf", "spark.executor.memory=" + EXECUTOR_MEMORY,
                // Work starts once both executors are there, so that it spreads over both, as on the standalone cluster.
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
                // A failed driver is not started again: one application master log to read, and no minutes lost.
                "--conf", "spark.yarn.maxAppAttempts=1"));
        if (localDefaultFs) {
            // Spark stages in the user's home folder of the default file system: here that is not ours to fill.
            command.addAll(List.of("--conf", "spark.yarn.stagingDir=" + folder.resolve("staging").toUri()));
        }
        command.addAll(List.of("--class", mainClass, appJar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Warnings, the jobs' own lines as the application configures them, and the YARN client's reports,
     * which name the application: its id says where the driver's logs are in cluster mode.
     */
    private Path submitterLogging() {
        return folder.resolve("submitter-log4j2.properties");
    }

    private void writeSubmitterLogging() throws IOException {
        Files.writeString(submitterLogging(), """
                rootLogger.level = warn
                rootLogger.appenderRef.stderr.ref = stderr
                appender.stderr.type = Console
                appender.stderr.name = stderr
                appender.stderr.target = SYSTEM_ERR
                appender.stderr.layout.type = PatternLayout
                appender.stderr.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
                logger.neuroplastic.name = org.neuroplastic
                logger.neuroplastic.level = info
                logger.yarnclient.name = org.apache.spark.deploy.yarn.Client
                logger.yarnclient.level = info
                """);
    }

    /** The application master's stdout and stderr: in cluster mode, what the driver printed and logged. */
    private List<Path> applicationMasterLogs(String applicationId) {
        return containerLogFolders(applicationId).stream()
                .filter(container -> container.getFileName().toString().endsWith("_000001"))
                .flatMap(container -> Stream.of(container.resolve("stdout"), container.resolve("stderr")))
                .filter(Files::isRegularFile)
                .toList();
    }

    private void startCluster(Optional<URI> defaultFs) throws IOException, InterruptedException {
        Files.createDirectories(confDir);
        List<String> command = javaCommand(List.of("-Xmx1g"), System.getProperty("java.class.path"),
                MiniYarnDaemon.class.getName(), confDir.toString());
        defaultFs.ifPresent(uri -> command.add(uri.toString()));
        Path log = folder.resolve("yarn.log");
        // Containers run $JAVA_HOME/bin/java, and the node managers hand them their own environment's JAVA_HOME.
        Process daemon = launch(command, log, Map.of("JAVA_HOME", System.getProperty("java.home")));
        Path ready = confDir.resolve(MiniYarnDaemon.YARN_SITE);
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (!Files.exists(ready)) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the YARN JVM exited during start-up (exit code " + daemon.exitValue()
                        + "); its log is " + log + ":\n" + StandaloneCluster.tail(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("YARN did not start within " + STARTUP_TIMEOUT + "; its log is "
                        + log + ":\n" + StandaloneCluster.tail(log));
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /**
     * Spark's jars for the containers ({@code spark.yarn.jars}) and for spark-submit: the runtime jars and
     * spark-yarn, which the application does not ship because a YARN cluster provides it.
     */
    private void linkSparkJars(Path runtimeClasspath) throws IOException {
        Files.createDirectories(sparkJars);
        try (Stream<Path> jars = Files.list(runtimeClasspath)) {
            for (Path jar : jars.filter(file -> file.getFileName().toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(sparkJars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(StandaloneCluster.RUNTIME_CLASSPATH_PROPERTY + " " + runtimeClasspath
                    + " does not exist: run `mvn package` first", e);
        }
        Path sparkYarn = ApplicationJar.codeSource(Client.class);
        Files.createSymbolicLink(sparkJars.resolve(sparkYarn.getFileName()), sparkYarn);
    }

    /**
     * MiniYARNCluster binds its node managers to the address of the machine's host name, whatever the
     * configuration says: on a machine where that is not loopback it would listen on the network.
     */
    private static void requireHostNameOnLoopback() throws IOException {
        InetAddress host = InetAddress.getLocalHost();
        if (!host.getHostAddress().equals(LOOPBACK)) {
            throw new IllegalStateException("MiniYARNCluster binds its node managers to the host name's address, and "
                    + host + " is not " + LOOPBACK + ": map the host name to " + LOOPBACK + " in /etc/hosts");
        }
    }

    private List<String> javaCommand(List<String> options, String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-Djava.io.tmpdir=" + folder.resolve("tmp"));
        command.addAll(this.jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private synchronized Process launch(List<String> command, Path output, Map<String, String> extraEnvironment)
            throws IOException {
        Files.createDirectories(folder.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("SPARK_") || name.startsWith("HADOOP_")
                || name.startsWith("YARN_"));
        // For spark-submit, the driver in client mode: as the failsafe JVM, loopback only and one BLAS thread.
        environment.put("SPARK_LOCAL_IP", LOOPBACK);
        environment.put("OMP_NUM_THREADS", "1");
        environment.putAll(extraEnvironment);
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
        // Drivers first, so that none of them sees its executors die and reacts while the cluster stops.
        try {
            StandaloneCluster.stop(roots.subList(1, roots.size()));
        } finally {
            StandaloneCluster.stop(roots.subList(0, 1));
        }
    }

    private static Stream<Path> children(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The end of one spark-submit run on YARN.
     *
     * @param deployMode    where the driver ran
     * @param exitCode      spark-submit's exit code; in cluster mode it reports the application's final status
     * @param applicationId YARN's id for the application, when spark-submit got as far as submitting it
     * @param outputFile    what spark-submit printed, stdout and stderr interleaved
     * @param driverLogs    what the driver printed: {@code outputFile} in client mode, the application
     *                      master container's {@code stdout} and {@code stderr} in cluster mode (none if
     *                      the application never got a container)
     */
    public record YarnSubmission(DeployMode deployMode, int exitCode, Optional<String> applicationId, Path outputFile,
                                 List<Path> driverLogs) {

        /** What the driver printed and logged, its log files one after the other. */
        public String driverOutput() {
            StringBuilder output = new StringBuilder();
            for (Path log : driverLogs) {
                try {
                    output.append(Files.readString(log, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return output.toString();
        }

        /** The last lines of spark-submit's output and of each driver log, for assertion messages. */
        public String outputTail() {
            StringBuilder tails = new StringBuilder("--- spark-submit (").append(outputFile).append(")\n")
                    .append(StandaloneCluster.tail(outputFile));
            if (deployMode == DeployMode.CLUSTER) {
                for (Path log : driverLogs) {
                    tails.append("--- driver ").append(log.getFileName()).append(" (").append(log).append(")\n")
                            .append(StandaloneCluster.tail(log));
                }
            }
            return tails.toString();
        }
    }
}
