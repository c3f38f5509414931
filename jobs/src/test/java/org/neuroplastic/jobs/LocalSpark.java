package org.neuroplastic.jobs;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;

/**
 * The in-process Spark session of a test class, set up as the jobs set theirs up (the training master's
 * recommended settings) but listening on loopback only, without a UI and with few shuffle partitions.
 * Start it in {@code @BeforeAll}, stop it in {@code @AfterAll}.
 */
public final class LocalSpark {

    private LocalSpark() {
    }

    public static SparkSession start(String master, String appName) {
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
        ResidentAveragingMaster.recommendedSparkConf().forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
