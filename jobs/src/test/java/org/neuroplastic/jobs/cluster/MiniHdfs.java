package org.neuroplastic.jobs.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real HDFS on 127.0.0.1: Hadoop's MiniDFSCluster (a namenode and two datanodes) from
 * {@code hadoop-client-minicluster}, the same Hadoop version as Spark's own client. It runs inside the
 * test JVM: the shaded minicluster jar shares no class with the test classpath, and an in-process
 * cluster starts in seconds where a JVM of its own would add its start-up and a way to hand back the
 * port.
 *
 * <p>Its data lives in a fresh folder under {@code target/mini-hdfs/}, deleted by {@link #close()}. Use it
 * with try-with-resources, or once per test class ({@code @BeforeAll}/{@code @AfterAll}).
 */
public final class MiniHdfs implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final int DATANODES = 2;

    private final MiniDFSCluster cluster;
    private final Path folder;
    private final URI uri;
    private final Configuration configuration;
    private final FileSystem fileSystem;

    private MiniHdfs(MiniDFSCluster cluster, Path folder) throws IOException {
        this.cluster = cluster;
        this.folder = folder;
        // MiniDFSCluster.getURI() names the namenode by the reverse lookup of its address ("localhost");
        // the literal address is what every other fixture and client here binds and connects to.
        this.uri = URI.create("hdfs://" + LOOPBACK + ":" + cluster.getNameNodePort());
        this.configuration = new Configuration(cluster.getConfiguration(0));
        configuration.set(CommonConfigurationKeysPublic.FS_DEFAULT_NAME_KEY, uri.toString());
        // A FileSystem of its own rather than Hadoop's shared cache, so that close() can close it.
        this.fileSystem = FileSystem.newInstance(uri, configuration);
    }

    /** Starts a namenode and two datanodes and returns once the datanodes have registered. */
    public static MiniHdfs start() throws IOException {
        Path parent = Files.createDirectories(StandaloneCluster.targetFolder().resolve("mini-hdfs"));
        Path folder = Files.createTempDirectory(parent, "hdfs-");
        Configuration conf = new Configuration();
        // MiniDFSCluster binds the namenode to localhost (127.0.0.1 here) itself; these name every datanode
        // listener and the namenode's HTTPS one, so that none ever takes the wildcard address.
        conf.set(DFSConfigKeys.DFS_NAMENODE_HTTPS_ADDRESS_KEY, LOOPBACK + ":0");
        conf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, LOOPBACK + ":0");
        conf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, LOOPBACK + ":0");
        conf.set(DFSConfigKeys.DFS_DATANODE_HTTPS_ADDRESS_KEY, LOOPBACK + ":0");
        conf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, LOOPBACK + ":0");
        conf.set("hadoop.tmp.dir", folder.resolve("tmp").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, folder.toFile())
                .numDataNodes(DATANODES)
                .checkDataNodeAddrConfig(true)
                .build();
        try {
            cluster.waitActive();
            return new MiniHdfs(cluster, folder);
        } catch (IOException | RuntimeException e) {
            cluster.shutdown(true);
            throw e;
        }
    }

    /** {@code hdfs://127.0.0.1:<namenode port>}: the value for {@code fs.defaultFS} and for absolute paths. */
    public URI uri() {
        return uri;
    }

    /** A copy of the cluster's client configuration, {@code fs.defaultFS} set to {@link #uri()}. */
    public Configuration configuration() {
        return new Configuration(configuration);
    }

    /** A client of this HDFS, closed by {@link #close()}. */
    public FileSystem fileSystem() {
        return fileSystem;
    }

    /** The number of datanodes the namenode counts as live. */
    public int liveDatanodes() throws IOException {
        return cluster.getNamesystem().getNumLiveDataNodes();
    }

    /** Stops the datanodes and the namenode and deletes the data. */
    @Override
    public void close() throws IOException {
        try {
            fileSystem.close();
        } finally {
            cluster.shutdown(true);
            deleteRecursively(folder);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
