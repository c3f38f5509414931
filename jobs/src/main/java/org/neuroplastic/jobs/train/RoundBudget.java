package org.neuroplastic.jobs.train;

import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.Locale;

/**
 * Refuses, before anything trains, a configuration whose averaging rounds cannot fit the driver. Each round
 * every worker returns its whole state to the driver (parameters and updater state, 4 bytes a value, both
 * masters), so a round brings {@code workers x state} bytes: Spark aborts the job above
 * {@code spark.driver.maxResultSize}, and the driver's heap holds the results and their decoded arrays, about
 * twice that. Without this check such a run fails after its data is loaded, deep in a Spark stack trace, or
 * the driver dies of an OutOfMemoryError. The cost grows with workers times parameters.
 *
 * <p>Public so that {@code bin/benchmark scaling} refuses exactly the configurations the train job refuses.
 */
public final class RoundBudget {

    /** Results and the arrays decoded from them are both on the heap while a round is averaged. */
    private static final int HEAP_COPIES = 2;

    private RoundBudget() {
    }

    /** @throws InvalidInputException naming the limit and the setting to change when a round does not fit */
    public static void check(SparkConf conf, long driverHeapBytes, MultiLayerNetwork network, int workers) {
        long values = network.numParams();
        INDArray updaterState = RoundState.updaterState(network);
        values += updaterState == null ? 0 : updaterState.length();
        long perRound = 4L * values * workers;
        long maxResultSize = JavaUtils.byteStringAsBytes(conf.get("spark.driver.maxResultSize", "1g"));
        String round = String.format(Locale.ROOT, "training.workers %d, each returning %,d values of state (parameters "
                + "and updater), send %s to the driver every averaging round", workers, values, size(perRound));
        if (maxResultSize > 0 && perRound > maxResultSize) {
            throw new InvalidInputException(round + ", over spark.driver.maxResultSize (" + size(maxResultSize)
                    + "); lower training.workers or raise spark.driver.maxResultSize");
        }
        if (HEAP_COPIES * perRound > driverHeapBytes) {
            throw new InvalidInputException(round + ", and the driver's heap (" + size(driverHeapBytes) + ") must hold "
                    + "about twice that; lower training.workers or raise the driver's memory "
                    + "(NEUROPLASTIC_DRIVER_MEMORY, or spark-submit --driver-memory)");
        }
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
