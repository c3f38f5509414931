package org.neuroplastic.jobs.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.ResourceScheduler;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JVM that hosts {@link MiniYarn}'s cluster: a MiniYARNCluster with one resource manager and two node
 * managers, the settings ../shared/STACK-NOTES.md found necessary, until the JVM is told to stop (SIGTERM).
 *
 * <p>Arguments: the folder to write {@code yarn-site.xml} and {@code core-site.xml} into (a
 * {@code HADOOP_CONF_DIR}), and optionally the default file system's URI (an HDFS). It writes
 * {@code yarn-site.xml} last, whole, once every node manager has registered: its presence means ready.
 * MiniYARNCluster keeps its files under {@code target/} of the working directory, so run it in a
 * scratch folder.
 */
public final class MiniYarnDaemon {

    static final String CLUSTER_NAME = "mini-yarn";
    static final int NODE_MANAGERS = 2;
    static final String YARN_SITE = "yarn-site.xml";
    static final String CORE_SITE = "core-site.xml";

    private static final String LOOPBACK = "127.0.0.1";
    private static final long REGISTRATION_TIMEOUT_MILLIS = 60_000;

    private MiniYarnDaemon() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // The cluster's non-daemon threads would keep a failed JVM alive until MiniYarn's timeout.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("expected CONF_DIR [DEFAULT_FS], found " + args.length + " arguments");
        }
        Path confDir = Path.of(args[0]).toAbsolutePath();
        String defaultFs = args.length == 2 ? args[1] : "file:///";
        Path scratch = Path.of("").toAbsolutePath();

        Configuration conf = settings(defaultFs, scratch);
        MiniYARNCluster cluster = new MiniYARNCluster(CLUSTER_NAME, 1, NODE_MANAGERS, 1, 1);
        cluster.init(conf);
        cluster.start();
        if (!cluster.waitForNodeManagersToConnect(REGISTRATION_TIMEOUT_MILLIS)) {
            throw new IllegalStateException("fewer than " + NODE_MANAGERS + " node managers registered within "
                    + REGISTRATION_TIMEOUT_MILLIS + " ms");
        }
        Configuration clientConf = new Configuration(false);
        clientConf.set(CommonConfigurationKeysPublic.FS_DEFAULT_NAME_KEY, defaultFs);
        writeAtomically(clientConf, confDir.resolve(CORE_SITE));
        // The resource manager's addresses are only known now: it bound ephemeral ports at start.
        writeAtomically(cluster.getConfig(), confDir.resolve(YARN_SITE));
        System.out.println("mini-yarn ready: resource manager at " + cluster.getConfig().get(YarnConfiguration.RM_ADDRESS)
                + ", " + NODE_MANAGERS + " node managers, fs.defaultFS " + defaultFs);
        // Until SIGTERM, which ends the JVM without an orderly cluster.stop(): that would cost 10 s per node
        // manager (its log handler waits for the log deletions it has scheduled hours ahead), and MiniYarn
        // stops the containers itself, with the rest of this JVM's process tree.
        Thread.currentThread().join();
    }

    private static Configuration settings(String defaultFs, Path scratch) {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(CommonConfigurationKeysPublic.FS_DEFAULT_NAME_KEY, defaultFs);
        conf.set("hadoop.tmp.dir", scratch.resolve("hadoop-tmp").toString());
        // The CapacityScheduler refuses to start without a queue configuration.
        conf.setClass(YarnConfiguration.RM_SCHEDULER, FifoScheduler.class, ResourceScheduler.class);
        conf.set(YarnConfiguration.RM_HOSTNAME, LOOPBACK);
        conf.set(YarnConfiguration.NM_PREFIX + "hostname", LOOPBACK);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        // A shared build machine's disk is often more than 90% full, and YARN then marks every node unhealthy.
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.0f);
        // Room on each node for an application master and two 1.5 GB executors with their overhead.
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        // The resource manager writes node attributes at start to the default file system unless told
        // otherwise, i.e. into HDFS when there is one; a local folder keeps YARN independent of it.
        conf.set(YarnConfiguration.FS_NODE_ATTRIBUTE_STORE_ROOT_DIR, scratch.resolve("node-attributes").toUri().toString());
        conf.set(YarnConfiguration.FS_NODE_LABELS_STORE_ROOT_DIR, scratch.resolve("node-labels").toUri().toString());
        return conf;
    }

    /** Writes {@code conf} beside {@code file} and moves it in place, so that a reader never sees half of it. */
    private static void writeAtomically(Configuration conf, Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            conf.writeXml(out);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
