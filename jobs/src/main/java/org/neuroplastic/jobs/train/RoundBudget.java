package org.neuroplastic.jobs.train;

import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.config.ConsolidationSettings;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainingSettings;

import java.util.Locale;

/**
 * Refuses, before anything trains, a configuration whose averaging rounds cannot fit the driver. With the
 * resident master the executors average (see {@link StateShards}) and a round brings the driver the averaged
 * state once (parameters and updater state, 4 bytes a value) plus each worker's summary (its trajectory rows
 * stay on the executors);
 * DL4J's stock master brings every worker's whole state, {@code workers x state}. Spark aborts the job above
 * {@code spark.driver.maxResultSize}, and the driver's heap holds the results and the arrays decoded from
 * them, about twice that. Without this check such a run fails after its data is loaded, deep in a Spark stack
 * trace, or the driver dies of an OutOfMemoryError.
 *
 * <p>Public so that {@code bin/benchmark scaling} refuses exactly the configurations the train job refuses.
 */
public final class RoundBudget {

    /** Results and the arrays decoded from them are both on the heap while a round is averaged. */
    private static final int HEAP_COPIES = 2;
    /** A worker's summary (counts, loss, times, executor id) as encoded, rounded up. */
    private static final long SUMMARY_BYTES = 256;
    /** With trajectories, a worker's summary also carries its drift: one double per layer. */
    private static final long DRIFT_BYTES_PER_LAYER = 8;

    private RoundBudget() {
    }

    /**
     * Refuses a configuration whose resident networks cannot fit the native memory ND4J may use where they
     * live: every worker keeps a network on the executor that ran it (in embedded Spark all of them in this
     * JVM), each holding parameters, gradients and updater state (4 bytes a value). On a cluster the networks
     * spread over {@code spark.executor.instances} executors when that is set (not with dynamic allocation, where
     * the count is unknown before training and nothing is checked), each limited by its heap size
     * ({@code spark.executor.memory}), which is JavaCPP's default native limit.
     *
     * @param nativeLimitBytes this JVM's native limit ({@code org.bytedeco.javacpp.Pointer.maxBytes()})
     */
    public static void checkResidentNetworks(SparkConf conf, long nativeLimitBytes, MultiLayerNetwork network,
                                      TrainingSettings settings) {
        if (settings.averaging() != TrainingSettings.Averaging.RESIDENT) {
            return;
        }
        INDArray updaterState = RoundState.updaterState(network);
        long perNetwork = 4L * (2 * network.numParams() + (updaterState == null ? 0 : updaterState.length()));
        String master = conf.get("spark.master", "local[*]");
        long networks;
        long limit;
        String where;
        String raise;
        if (master.startsWith("local")) {
            networks = settings.workers();
            limit = nativeLimitBytes;
            where = "this JVM's native memory limit (" + size(limit) + ")";
            raise = "raise the driver's memory (NEUROPLASTIC_DRIVER_MEMORY) or -Dorg.bytedeco.javacpp.maxbytes";
        } else if (conf.contains("spark.executor.instances")) {
            int executors = Math.max(1, conf.getInt("spark.executor.instances", 1));
            networks = (settings.workers() + executors - 1) / executors;
            limit = conf.getSizeAsMb("spark.executor.memory", "1g") << 20;
            where = "an executor's native memory limit (spark.executor.memory, " + size(limit) + ", with "
                    + "spark.executor.instances " + executors + ")";
            raise = "raise spark.executor.memory or spark.executor.instances";
        } else {
            return;
        }
        long needed = networks * perNetwork;
        if (needed > limit) {
            throw new InvalidInputException(String.format(Locale.ROOT, "training.workers %d keep %d resident networks "
                    + "of %s each (parameters, gradients and updater state) on one JVM, %s in all, over %s; lower "
                    + "training.workers or %s", settings.workers(), networks, size(perNetwork), size(needed), where,
                    raise));
        }
    }

    /**
     * Refuses worker groups ({@code training.workers_per_task}, see {@link WorkerGroups}) whose sums cannot fit the
     * heap of the JVM that runs their tasks: each round task holds its workers' state summed in double precision
     * and, as it sends them, the sums cut into shuffle records, 16 bytes a state value, and a JVM runs as many such
     * tasks at once as it has task slots (all of them in this JVM on embedded Spark; {@code spark.executor.cores}
     * on a cluster's executor, limited by {@code spark.executor.memory}). Half the heap is left for everything else.
     *
     * @param slots          the cluster's task slots (Spark's default parallelism)
     * @param driverHeapBytes this JVM's heap, which embedded Spark's tasks share
     */
    public static void checkWorkerSums(SparkConf conf, int slots, long driverHeapBytes, MultiLayerNetwork network,
                                       TrainingSettings settings) {
        int perTask = settings.workersPerTaskOn(slots);
        if (settings.averaging() != TrainingSettings.Averaging.RESIDENT || perTask == 1) {
            return;
        }
        long values = stateValues(network, settings);
        boolean local = conf.get("spark.master", "local[*]").startsWith("local");
        int tasks = local ? Math.max(1, slots) : Math.max(1, conf.getInt("spark.executor.cores", 1));
        long limit = local ? driverHeapBytes : conf.getSizeAsMb("spark.executor.memory", "1g") << 20;
        long needed = 16L * values * tasks;
        if (needed > limit / 2) {
            throw new InvalidInputException(String.format(Locale.ROOT, "training.workers %d on %d task slots are "
                    + "trained %d to a task, and each task holds its workers' summed state, %,d values at 16 bytes: "
                    + "%d tasks at once need %s, over half of %s; set training.workers_per_task 1, or %s",
                    settings.workers(), slots, perTask, values, tasks, size(needed),
                    local ? "the driver's heap (" + size(limit) + ")" : "spark.executor.memory (" + size(limit)
                            + ") with spark.executor.cores " + tasks,
                    local ? "raise the driver's memory (NEUROPLASTIC_DRIVER_MEMORY, or spark-submit --driver-memory)"
                            : "raise spark.executor.memory"));
        }
    }

    /**
     * Values of the state a round averages and returns: parameters, the updater state when
     * {@code training.save_updater} (without it neither master sends it back), and SI's path integral when on.
     */
    private static long stateValues(MultiLayerNetwork network, TrainingSettings settings) {
        long values = network.numParams();
        INDArray updaterState = RoundState.updaterState(network);
        values += updaterState == null || !settings.saveUpdater() ? 0 : updaterState.length();
        if (settings.consolidation().method() == ConsolidationSettings.Method.SI) {
            values += network.numParams();
        }
        return values;
    }

    /** @throws InvalidInputException naming the limit and the setting to change when a round does not fit */
    public static void check(SparkConf conf, long driverHeapBytes, MultiLayerNetwork network, TrainingSettings settings) {
        long values = stateValues(network, settings);
        int workers = settings.workers();
        String round;
        String lower;
        long perRound;
        if (settings.averaging() == TrainingSettings.Averaging.STOCK) {
            perRound = 4L * values * workers;
            round = String.format(Locale.ROOT, "training.workers %d, each returning %,d values of state (parameters "
                    + "and updater) with the stock master, send %s to the driver every averaging round", workers,
                    values, size(perRound));
            lower = "lower training.workers";
        } else {
            long drift = settings.trajectories() ? DRIFT_BYTES_PER_LAYER * network.getnLayers() : 0;
            perRound = 4L * values + workers * (SUMMARY_BYTES + drift);
            round = String.format(Locale.ROOT, "the averaged state (%,d values of parameters and updater) and the "
                    + "summaries of training.workers %d make %s a round into the driver", values,
                    workers, size(perRound));
            lower = "use a smaller network";
        }
        long maxResultSize = JavaUtils.byteStringAsBytes(conf.get("spark.driver.maxResultSize", "1g"));
        if (maxResultSize > 0 && perRound > maxResultSize) {
            throw new InvalidInputException(round + ", over spark.driver.maxResultSize (" + size(maxResultSize)
                    + "); " + lower + " or raise spark.driver.maxResultSize");
        }
        if (HEAP_COPIES * perRound > driverHeapBytes) {
            throw new InvalidInputException(round + ", and the driver's heap (" + size(driverHeapBytes) + ") must hold "
                    + "about twice that; " + lower + " or raise the driver's memory "
                    + "(NEUROPLASTIC_DRIVER_MEMORY, or spark-submit --driver-memory)");
        }
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
