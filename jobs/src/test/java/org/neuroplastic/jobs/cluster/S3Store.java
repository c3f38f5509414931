package org.neuroplastic.jobs.cluster;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An S3-compatible object store on 127.0.0.1 for the tests tagged "cluster": S3Proxy in a JVM of its own
 * (its Jetty and jclouds would clash with Spark's jars in the test JVM), holding one empty bucket. Hadoop's
 * S3A connector reaches it through {@link #hadoopConfiguration()}, a Spark session through
 * {@link #sparkHadoopSettings()}.
 *
 * <p>The objects live in the server's heap (jclouds' "transient" backend), not in files. S3Proxy's
 * filesystem backends store the key {@code a/} as the folder {@code a}, so they cannot delete a directory
 * marker above other objects: filesystem-nio2 answers HTTP 500 (DirectoryNotEmptyException), and also
 * reports an empty directory made by {@code mkdirs} as a file; the older "filesystem" answers 204 but keeps
 * listing the marker. S3A deletes such markers after every file it creates and in every rename, so Spark's
 * output committer failed against both; the in-memory backend treats keys as S3 does. Heap, not disk, therefore bounds what a test may store (see {@link #SERVER_HEAP}).
 *
 * <p>Use it with try-with-resources: {@link #close()} stops the server, which drops every object, and
 * deletes the store's temporary files; a shutdown hook does the same if the test JVM exits first. The
 * server's log and properties stay under {@code target/s3-store/} for reading after a failure.
 *
 * <p>Reads the system property {@value #S3PROXY_JAR_PROPERTY}, which the failsafe configuration of the
 * root pom sets to the jar that {@code jobs/pom.xml} copies before the integration tests.
 */
public final class S3Store implements AutoCloseable {

    static final String S3PROXY_JAR_PROPERTY = "neuroplastic.s3proxy-jar";

    private static final String LOOPBACK = "127.0.0.1";
    private static final String ACCESS_KEY = "neuroplastic-access";
    private static final String SECRET_KEY = "neuroplastic-secret";
    /** Holds every stored object: tens of MB are plenty for the tests' files and Parquet outputs. */
    static final String SERVER_HEAP = "512m";
    private static final String REGION = "us-east-1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** A port found free can be taken before the server binds it; then start again on another. */
    private static final int START_ATTEMPTS = 3;

    private final Path folder;
    private final Path log;
    private final String bucket;
    private final int port;
    private final Process server;
    private final Thread stopOnExit = new Thread(this::stop, "s3-store-stop");

    private S3Store(Path folder, String bucket, int port, Process server) {
        this.folder = folder;
        this.log = folder.resolve("s3proxy.log");
        this.bucket = bucket;
        this.port = port;
        this.server = server;
    }

    /**
     * Starts the server on a free loopback port and returns once it holds an empty bucket.
     * The bucket is named {@code neuroplastic-<random>}: Hadoop caches one {@code FileSystem} per scheme,
     * bucket and user for the whole JVM, whatever the endpoint, so a name shared by two stores in one JVM
     * would hand the second store's tests the first store's (stopped) connection.
     */
    public static S3Store start() throws IOException, InterruptedException {
        Path jar = Path.of(StandaloneCluster.requiredProperty(S3PROXY_JAR_PROPERTY));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(S3PROXY_JAR_PROPERTY + " names " + jar
                    + ", which is no file: run the tests with `mvn verify`, which copies it before them");
        }
        Path stores = jar.toAbsolutePath().getParent().getParent().resolve("s3-store");
        Files.createDirectories(stores);
        String bucket = "neuroplastic-" + UUID.randomUUID().toString().substring(0, 8);
        IllegalStateException portTaken = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path folder = Files.createTempDirectory(stores, "store-");
            int port = StandaloneCluster.freeLoopbackPorts(1)[0];
            S3Store store = new S3Store(folder, bucket, port, launch(jar, folder, port));
            Runtime.getRuntime().addShutdownHook(store.stopOnExit);
            try {
                store.awaitListening();
                store.createBucket();
                return store;
            } catch (IOException | InterruptedException | RuntimeException e) {
                boolean lostThePort = !store.server.isAlive() && store.logTail().contains("Failed to bind to");
                try {
                    store.close();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                if (!lostThePort) {
                    throw e;
                }
                portTaken = new IllegalStateException("port " + port + " was taken before S3Proxy bound it", e);
            }
        }
        throw portTaken;
    }

    /** The S3 endpoint, {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://" + LOOPBACK + ":" + port;
    }

    /** The bucket created at start. */
    public String bucket() {
        return bucket;
    }

    /** The S3A URI of {@code key} in the bucket, e.g. {@code s3a://neuroplastic-1a2b3c4d/runs/x}. */
    public URI uri(String key) {
        return URI.create("s3a://" + bucket + "/" + key);
    }

    /** Hadoop's defaults plus {@link #s3aSettings()}: what {@code FileSystem.get} needs for this store. */
    public Configuration hadoopConfiguration() {
        Configuration configuration = new Configuration();
        s3aSettings().forEach(configuration::set);
        return configuration;
    }

    /**
     * The same settings as {@code spark.hadoop.*} keys, which Spark copies into the Hadoop configuration of
     * its driver and executors: pass each to {@code SparkSession.Builder.config} or as
     * {@code spark-submit --conf}.
     */
    public Map<String, String> sparkHadoopSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        s3aSettings().forEach((key, value) -> settings.put("spark.hadoop." + key, value));
        return settings;
    }

    /** The S3A settings that point Hadoop at this store, by Hadoop key. */
    public Map<String, String> s3aSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fs.s3a.endpoint", endpoint());
        // Without it the SDK would address <bucket>.127.0.0.1, which does not resolve.
        settings.put("fs.s3a.path.style.access", "true");
        settings.put("fs.s3a.connection.ssl.enabled", "false");
        // Any region passes: S3Proxy checks the signature with the region the request names.
        settings.put("fs.s3a.endpoint.region", REGION);
        settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        settings.put("fs.s3a.access.key", ACCESS_KEY);
        settings.put("fs.s3a.secret.key", SECRET_KEY);
        // S3A's defaults retry for minutes against a store that is gone; a test should fail in seconds.
        settings.put("fs.s3a.attempts.maximum", "2");
        settings.put("fs.s3a.retry.limit", "2");
        settings.put("fs.s3a.retry.interval", "100ms");
        settings.put("fs.s3a.connection.establish.timeout", "5000");
        settings.put("fs.s3a.connection.timeout", "30000");
        // Change detection stays at S3A's default (ETags, checked by the server): S3Proxy returns an ETag
        // for every object, and reads, re-opens and copies pass with it.
        // Upload blocks are buffered on disk; keep them beside the store instead of in /tmp.
        settings.put("fs.s3a.buffer.dir", folder.resolve("upload-buffer").toString());
        return settings;
    }

    /** The store's own folder: the server's log and properties, and temporary files until {@link #close()}. */
    public Path folder() {
        return folder;
    }

    /** The server's process, for tests that check it is stopped. */
    public ProcessHandle process() {
        return server.toHandle();
    }

    /** Stops the server, waiting until it is gone, and deletes the store's temporary files. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // The hook is running or about to run stop itself.
        }
        stop();
    }

    private void stop() {
        StandaloneCluster.stop(List.of(server.toHandle()));
        deleteTree(folder.resolve("upload-buffer"));
        deleteTree(folder.resolve("tmp"));
    }

    private static Process launch(Path jar, Path folder, int port) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://" + LOOPBACK + ":" + port);
        // Requests must be signed (V2 or V4) with these keys, as S3 would demand.
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY);
        properties.setProperty("s3proxy.credential", SECRET_KEY);
        // In memory: the class comment says why not the filesystem backends.
        properties.setProperty("jclouds.provider", "transient");
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        Path propertiesFile = folder.resolve("s3proxy.properties");
        try (var writer = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
            properties.store(writer, "S3Store on port " + port);
        }
        Files.createDirectories(folder.resolve("tmp"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + SERVER_HEAP,
                // The server lives for seconds to minutes: the client compiler alone starts it in about
                // 3 s instead of 7 s on two shared cores, and the serial collector needs no extra threads.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + folder.resolve("tmp"),
                "-jar", jar.toAbsolutePath().toString(),
                "--properties", propertiesFile.toString());
        return new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("s3proxy.log").toFile())
                .start();
    }

    /**
     * Waits until the server's log says that Jetty has started, which it says only once every connector
     * is bound. Its log, not a probe of the port: had another process taken the port meanwhile, that
     * process would answer the probe while S3Proxy fails to bind and exits.
     */
    private void awaitListening() throws IOException, InterruptedException {
        String listening = "Started Server@";
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains(listening)) {
                return;
            }
            if (!server.isAlive()) {
                throw new IllegalStateException("S3Proxy exited during start-up (exit code " + server.exitValue()
                        + "); its log is " + log + ":\n" + logTail());
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IllegalStateException("S3Proxy did not log '" + listening + "' within " + STARTUP_TIMEOUT
                + "; its log is " + log + ":\n" + logTail());
    }

    /**
     * Creates the bucket through the S3 API, with the AWS SDK that S3A itself uses (the bundle hadoop-aws
     * brings): the in-memory backend starts empty.
     */
    private void createBucket() {
        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint(), REGION))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                .build();
        try {
            s3.createBucket(bucket);
        } finally {
            s3.shutdown();
        }
    }

    private String logTail() {
        try {
            return StandaloneCluster.tail(log);
        } catch (UncheckedIOException unreadable) {
            return "(log unreadable: " + unreadable.getCause() + ")\n";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (NoSuchFileException alreadyGone) {
            // Nothing was stored there.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

}
