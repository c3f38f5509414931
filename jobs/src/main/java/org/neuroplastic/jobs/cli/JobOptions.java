package org.neuroplastic.jobs.cli;

import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.train.AveragingSparkConf;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options every job takes. */
final class JobOptions {

    /** The master when neither {@code --master} nor spark-submit names one: embedded Spark on every core. */
    static final String DEFAULT_MASTER = "local[*]";

    /** Set by bin/neuroplastic: the application jar that executors of a non-local master need. */
    static final String APP_JAR_ENV = "NEUROPLASTIC_APP_JAR";

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "YAML job configuration: a path or a URI (hdfs://, s3a://, ...).")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set training.epochs=3 or "
                    + "--set network.hidden.0.size=64 (repeatable; the value is read as YAML).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder, a path or a URI (hdfs://, s3a://, ...); must not exist unless --overwrite "
                    + "(default: out/<job>-<timestamp>).")
    String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else "
                    + DEFAULT_MASTER + ").")
    String master;

    @Option(names = "--overwrite", description = "Replace an existing output folder once the job succeeds.")
    boolean overwrite;

    /** The location {@code text} names; {@code option} names it in the message when no path can hold it. */
    static Location locate(Storage storage, String option, String text) {
        try {
            return storage.locate(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + " " + text + ": not a path or URI (" + e.getMessage() + ")");
        }
    }

    private static final String EXECUTOR_OMP = "spark.executorEnv.OMP_NUM_THREADS";

    /** Starts the session: {@code --master} wins, then spark-submit's master, then embedded Spark. */
    SparkSession startSpark(String job) {
        return startSpark(job, master);
    }

    /** As {@link #startSpark(String)}, for a job whose command has no configuration file. */
    static SparkSession startSpark(String job, String master) {
        String effectiveMaster = master != null ? master : System.getProperty("spark.master", DEFAULT_MASTER);
        SparkSession.Builder builder = SparkSession.builder().appName("neuroplastic " + job).master(effectiveMaster);
        AveragingSparkConf.recommended().forEach(builder::config);
        if (effectiveMaster.startsWith("local")) {
            // Several runs may share a machine: no UI port to fight over, nothing listening beyond loopback.
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1");
        } else {
            String appJar = System.getenv(APP_JAR_ENV);
            if (appJar != null && System.getProperty("spark.jars") == null) {
                builder.config("spark.jars", appJar);
            }
            // One OpenMP thread per task on executors this application starts (as bin/neuroplastic does for
            // embedded Spark): the OpenMP runtime reads it once, before any task could limit its threads.
            if (System.getProperty(EXECUTOR_OMP) == null) {
                builder.config(EXECUTOR_OMP, "1");
            }
        }
        return builder.getOrCreate();
    }
}
