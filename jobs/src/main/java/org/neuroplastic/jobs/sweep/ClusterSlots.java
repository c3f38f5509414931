package org.neuroplastic.jobs.sweep;

import org.apache.spark.SparkConf;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most task slots a Spark application can ever have, where its configuration bounds them: a sweep whose
 * {@code parallelism} is above that bound would keep trials waiting for slots that never come, and its
 * asha promotions or tpe suggestions would be scheduled for trials in flight that never are.
 * <p>
 * The bound is what the master and the settings Spark documents for each cluster manager allow:
 * {@code local[N]} has N cores; YARN and Kubernetes start {@code spark.executor.instances} executors (2 unless
 * set) of {@code spark.executor.cores} (1 unless set), or at most {@code spark.dynamicAllocation.maxExecutors}
 * with dynamic allocation; a standalone application has at most {@code spark.cores.max} cores. Each task takes
 * {@code spark.task.cpus} of them. Where none of these bounds the application (standalone without
 * {@code spark.cores.max}, dynamic allocation without a maximum), there is no bound and nothing is refused:
 * the slots are counted as trials are submitted ({@link TrialSlots}).
 */
final class ClusterSlots {

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*]");
    /** Spark's default executor count on YARN and Kubernetes without dynamic allocation. */
    private static final int DEFAULT_EXECUTORS = 2;

    private ClusterSlots() {
    }

    /** The most task slots the application configured by {@code conf} can have, if its settings bound them. */
    static OptionalInt maximum(SparkConf conf) {
        String master = conf.get("spark.master", "local[*]").trim();
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            String threads = local.group(1);
            int cores = threads == null ? 1
                    : threads.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
            return OptionalInt.of(Math.max(1, cores / taskCpus));
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            int cores = Integer.parseInt(cluster.group(2));
            return OptionalInt.of(Integer.parseInt(cluster.group(1)) * Math.max(1, cores / taskCpus));
        }
        if (master.startsWith("spark://")) {
            return conf.contains("spark.cores.max")
                    ? OptionalInt.of(Math.max(1, conf.getInt("spark.cores.max", 0) / taskCpus))
                    : OptionalInt.empty();
        }
        if (master.equals("yarn") || master.startsWith("k8s://")) {
            int perExecutor = Math.max(1, conf.getInt("spark.executor.cores", 1) / taskCpus);
            if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
                if (!conf.contains("spark.dynamicAllocation.maxExecutors")) {
                    return OptionalInt.empty();
                }
                long most = (long) conf.getInt("spark.dynamicAllocation.maxExecutors", 0) * perExecutor;
                return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, most));
            }
            return OptionalInt.of(conf.getInt("spark.executor.instances", DEFAULT_EXECUTORS) * perExecutor);
        }
        return OptionalInt.empty();
    }

    /**
     * Refuses {@code config}'s {@code parallelism} when it is above the slots {@code conf} allows, with one line
     * naming the key, the bound and the settings that make it.
     */
    static void check(SweepConfig config, SparkConf conf) {
        Integer parallelism = config.parallelism();
        OptionalInt slots = maximum(conf);
        if (parallelism == null || slots.isEmpty() || parallelism <= slots.getAsInt()) {
            return;
        }
        throw new InvalidInputException(config.file() + ": parallelism " + parallelism + " exceeds the "
                + slots.getAsInt() + " task slots this application can have (master " + conf.get("spark.master", "")
                + "; see spark.executor.instances, spark.executor.cores, spark.cores.max, "
                + "spark.dynamicAllocation.maxExecutors and spark.task.cpus); lower parallelism or give the "
                + "application more cores");
    }
}
