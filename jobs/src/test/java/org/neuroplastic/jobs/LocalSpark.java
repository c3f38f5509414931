package org.neuroplastic.jobs;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.neuroplastic.jobs.train.AveragingSparkConf;

import java.util.Map;

/**
 * The in-process Spark session of a test class, set up as the jobs set theirs up (the training master's
 * recommended settings) but listening on loopback only, without a UI and with few shuffle partitions.
 *
 * <p>Registered as {@code @RegisterExtension static final LocalSpark SPARK = LocalSpark.of("local[2]")}, it
 * gives the class one session, named after the class, which its {@code @BeforeAll} methods and tests share
 * through {@link #session()}. Starting a session takes seconds, so the class's tests do not each start
 * one; the session is stopped after the class's {@code @AfterAll} methods, also when a {@code @BeforeAll}
 * method or a test failed, so that the next class gets a session with its own master instead of this one.
 * It starts on first use: a class that an assumption skips before using it starts none.
 *
 * <p>{@link #start} gives a session of its own to a test that needs one in the middle of the test.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback {

    private final String master;
    private String appName;
    private SparkSession session;

    private LocalSpark(String master) {
        this.master = master;
    }

    /** A session of the test class on {@code master}, such as {@code local[2]}. */
    public static LocalSpark of(String master) {
        return new LocalSpark(master);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        appName = context.getRequiredTestClass().getSimpleName();
    }

    /** The class's session, started by the first call. */
    public SparkSession session() {
        if (appName == null) {
            throw new IllegalStateException("LocalSpark is used outside its test class: register it on a static field");
        }
        if (session == null) {
            session = start(master, appName);
        }
        return session;
    }

    /** The class's session for the RDD API. */
    public JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (session != null) {
            session.stop();
            session = null;
        }
        appName = null;
    }

    public static SparkSession start(String master, String appName) {
        return start(master, appName, Map.of());
    }

    /** A session of its own with {@code settings} on top, such as an object store's {@code spark.hadoop.*}. */
    public static SparkSession start(String master, String appName, Map<String, String> settings) {
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
        AveragingSparkConf.recommended().forEach(builder::config);
        settings.forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
