package org.neuroplastic.jobs.train;

import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainingSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundBudgetTest {

    private static final long LARGE_HEAP = 1L << 34;

    /** The small classifier's parameters and Adam's two moments for each, 4 bytes a value. */
    private static long stateBytes(MultiLayerNetwork network) {
        return 4L * 3 * network.numParams();
    }

    private static TrainingSettings settings(int workers, TrainingSettings.Averaging master, boolean trajectories) {
        return TrainingSettings.resident(workers, 8, 2, 1).withAveraging(master).withTrajectories(trajectories);
    }

    @Test
    void theStockMastersRoundOverTheResultLimitIsRefusedNamingTheLimitAndTheSettings() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        long perWorker = stateBytes(network);
        SparkConf conf = new SparkConf(false).set("spark.driver.maxResultSize", String.valueOf(perWorker * 4 - 1));
        assertThatCode(() -> RoundBudget.check(conf, LARGE_HEAP, network,
                settings(3, TrainingSettings.Averaging.STOCK, false))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(conf, LARGE_HEAP, network,
                settings(4, TrainingSettings.Averaging.STOCK, false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("training.workers 4, each returning " + String.format("%,d", 3 * network.numParams())
                        + " values of state")
                .hasMessageContaining("over spark.driver.maxResultSize (" + String.format("%,d", perWorker * 4 - 1) + " bytes)")
                .hasMessageEndingWith("lower training.workers or raise spark.driver.maxResultSize");
    }

    @Test
    void withoutSaveUpdaterTheUpdaterStateNoWorkerReturnsIsNotCounted() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        // Room for 4 workers' parameters, 4 bytes a value, not for their Adam moments.
        SparkConf conf = new SparkConf(false).set("spark.driver.maxResultSize", String.valueOf(4 * 4 * network.numParams()));
        TrainingSettings stock = settings(4, TrainingSettings.Averaging.STOCK, false);
        assertThatCode(() -> RoundBudget.check(conf, LARGE_HEAP, network, stock.withSaveUpdater(false)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(conf, LARGE_HEAP, network, stock.withSaveUpdater(true)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("training.workers 4, each returning " + String.format("%,d", 3 * network.numParams())
                        + " values of state");
    }

    @Test
    void theResidentMasterBringsTheStateOnceWhateverTheWorkers() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        // Room for the state and 1,000 summaries of 256 bytes, not for a second copy of the state.
        long limit = stateBytes(network) + 1_000 * 256;
        SparkConf conf = new SparkConf(false).set("spark.driver.maxResultSize", String.valueOf(limit));
        assertThatCode(() -> RoundBudget.check(conf, LARGE_HEAP, network,
                settings(1_000, TrainingSettings.Averaging.RESIDENT, false))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(conf, LARGE_HEAP, network,
                settings(1_001, TrainingSettings.Averaging.RESIDENT, false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the averaged state (" + String.format("%,d", 3 * network.numParams())
                        + " values of parameters and updater)")
                .hasMessageEndingWith("use a smaller network or raise spark.driver.maxResultSize");
    }

    @Test
    void withTrajectoriesOnlyEachWorkersDriftJoinsItsSummaryInTheResidentMastersRound() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        // Each worker adds a 256-byte summary and its drift, 2 layers x 8 bytes: 272 bytes. Its rows stay on
        // the executors (they would add 2 steps x 2 layers rows of some 500 bytes each).
        SparkConf conf = new SparkConf(false).set("spark.driver.maxResultSize",
                String.valueOf(stateBytes(network) + 10 * 272));
        assertThatCode(() -> RoundBudget.check(conf, LARGE_HEAP, network,
                settings(10, TrainingSettings.Averaging.RESIDENT, true))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(conf, LARGE_HEAP, network,
                settings(11, TrainingSettings.Averaging.RESIDENT, true)))
                .hasMessageEndingWith("use a smaller network or raise spark.driver.maxResultSize");
    }

    @Test
    void anUnlimitedResultSizeLeavesTheHeapAsTheBound() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        SparkConf unlimited = new SparkConf(false).set("spark.driver.maxResultSize", "0");
        long heap = 2 * stateBytes(network) * 10;
        assertThatCode(() -> RoundBudget.check(unlimited, heap, network,
                settings(10, TrainingSettings.Averaging.STOCK, false))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(unlimited, heap, network,
                settings(11, TrainingSettings.Averaging.STOCK, false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the driver's heap")
                .hasMessageContaining("NEUROPLASTIC_DRIVER_MEMORY");
    }

    @Test
    void sparksDefaultLimitOfOneGibibyteApplies() {
        MultiLayerNetwork network = SmallNetworks.classifier(new Adam(0.01), 20_000);
        int workers = (int) ((1L << 30) / stateBytes(network)) + 1;
        assertThatThrownBy(() -> RoundBudget.check(new SparkConf(false), LARGE_HEAP, network,
                settings(workers, TrainingSettings.Averaging.STOCK, false)))
                .hasMessageContaining("over spark.driver.maxResultSize (1024.0 MiB)");
    }

    /** A resident network of the small classifier: parameters, gradients and two Adam moments, 4 bytes a value. */
    private static long residentBytes(MultiLayerNetwork network) {
        return 4L * 4 * network.numParams();
    }

    @Test
    void embeddedSparkRefusesMoreResidentNetworksThanItsNativeLimitHolds() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        SparkConf local = new SparkConf(false).set("spark.master", "local[2]");
        long limit = 10 * residentBytes(network);
        assertThatCode(() -> RoundBudget.checkResidentNetworks(local, limit, network,
                settings(10, TrainingSettings.Averaging.RESIDENT, false))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.checkResidentNetworks(local, limit, network,
                settings(11, TrainingSettings.Averaging.RESIDENT, false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("training.workers 11 keep 11 resident networks of " + String.format("%,d",
                        residentBytes(network)) + " bytes each")
                .hasMessageContaining("this JVM's native memory limit")
                .hasMessageEndingWith("-Dorg.bytedeco.javacpp.maxbytes");
    }

    @Test
    void aClusterSpreadsTheResidentNetworksOverItsExecutors() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        // 103 parameters: 1,648 bytes a network; 1 MiB (1,048,576 bytes) holds 636 of them on each of 4 executors.
        SparkConf cluster = new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077")
                .set("spark.executor.instances", "4").set("spark.executor.memory", "1m");
        assertThat(residentBytes(network)).isEqualTo(1_648);
        assertThatCode(() -> RoundBudget.checkResidentNetworks(cluster, 0, network,
                settings(4 * 636, TrainingSettings.Averaging.RESIDENT, false))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.checkResidentNetworks(cluster, 0, network,
                settings(4 * 636 + 1, TrainingSettings.Averaging.RESIDENT, false)))
                .hasMessageContaining("keep 637 resident networks")
                .hasMessageContaining("spark.executor.memory, 1.0 MiB, with spark.executor.instances 4")
                .hasMessageEndingWith("raise spark.executor.memory or spark.executor.instances");
        SparkConf dynamic = new SparkConf(false).set("spark.master", "yarn").set("spark.executor.memory", "1m");
        assertThatCode(() -> RoundBudget.checkResidentNetworks(dynamic, 0, network,
                settings(10_000, TrainingSettings.Averaging.RESIDENT, false))).doesNotThrowAnyException();
    }

    @Test
    void workerGroupsWhoseSumsOverflowHalfTheHeapAreRefusedNamingTheSetting() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        // 103 parameters and Adam's two moments: 309 values, 16 bytes each in a task's sums; 2 tasks at once.
        long needed = 16L * 309 * 2;
        SparkConf local = new SparkConf(false).set("spark.master", "local[2]");
        TrainingSettings eight = settings(8, TrainingSettings.Averaging.RESIDENT, false);
        assertThatCode(() -> RoundBudget.checkWorkerSums(local, 2, 2 * needed, network, eight))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.checkWorkerSums(local, 2, 2 * needed - 1, network, eight))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("training.workers 8 on 2 task slots are trained 4 to a task")
                .hasMessageContaining("309 values at 16 bytes: 2 tasks at once need 9,888 bytes, over half of the "
                        + "driver's heap")
                .hasMessageContaining("set training.workers_per_task 1");
        // A task per worker sums nothing, and neither do as many slots as workers.
        assertThatCode(() -> RoundBudget.checkWorkerSums(local, 2, 0, network, eight.withWorkersPerTask(1)))
                .doesNotThrowAnyException();
        assertThatCode(() -> RoundBudget.checkWorkerSums(local, 8, 0, network, eight)).doesNotThrowAnyException();
    }

    @Test
    void onAClusterAnExecutorsCoresRunItsGroupsAtOnceWithinItsMemory() {
        MultiLayerNetwork network = SmallNetworks.classifier(new org.nd4j.linalg.learning.config.Adam(0.01), 2000);
        long values = 3 * network.numParams();
        // 8 MiB: half is 4,194,304 bytes, which 4 tasks' sums fit and 5 do not.
        assertThat(16 * values * 4).isLessThanOrEqualTo(4_194_304L);
        assertThat(16 * values * 5).isGreaterThan(4_194_304L);
        SparkConf cluster = new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077")
                .set("spark.executor.memory", "8m");
        TrainingSettings many = settings(100, TrainingSettings.Averaging.RESIDENT, false);
        assertThatCode(() -> RoundBudget.checkWorkerSums(cluster.clone().set("spark.executor.cores", "4"), 8, 0,
                network, many)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.checkWorkerSums(cluster.clone().set("spark.executor.cores", "5"), 10, 0,
                network, many))
                .hasMessageContaining("over half of spark.executor.memory (8.0 MiB) with spark.executor.cores 5")
                .hasMessageEndingWith("raise spark.executor.memory");
    }
}
