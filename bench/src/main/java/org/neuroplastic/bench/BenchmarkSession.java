package org.neuroplastic.bench;

import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.train.AveragingSparkConf;

import java.util.Map;

/** The Spark session and native thread settings every benchmark measures under, so their figures compare. */
final class BenchmarkSession {

    private BenchmarkSession() {
    }

    /** An in-process session on loopback with the resident master's settings and no UI. */
    static SparkSession spark(String master, String app) {
        return spark(master, app, Map.of());
    }

    /** The same with {@code settings} on top, such as a standalone cluster's executor settings. */
    static SparkSession spark(String master, String app, Map<String, String> settings) {
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        AveragingSparkConf.recommended().forEach(builder::config);
        settings.forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** ND4J's threads for the phase that follows: one per Spark task, or all cores for one JVM. */
    static void nativeThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
