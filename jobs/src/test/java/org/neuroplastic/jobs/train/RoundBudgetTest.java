package org.neuroplastic.jobs.train;

import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.config.InvalidInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundBudgetTest {

    private static final long LARGE_HEAP = 1L << 34;

    /** The small classifier's parameters and Adam's two moments for each, 4 bytes a value. */
    private static long stateBytes(MultiLayerNetwork network) {
        return 4L * 3 * network.numParams();
    }

    @Test
    void aRoundOverTheDriversResultLimitIsRefusedNamingTheLimitAndTheSettings() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        long perWorker = stateBytes(network);
        SparkConf conf = new SparkConf(false).set("spark.driver.maxResultSize", String.valueOf(perWorker * 4 - 1));
        assertThatCode(() -> RoundBudget.check(conf, LARGE_HEAP, network, 3)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(conf, LARGE_HEAP, network, 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("training.workers 4, each returning " + String.format("%,d", 3 * network.numParams())
                        + " values of state")
                .hasMessageContaining("over spark.driver.maxResultSize (" + String.format("%,d", perWorker * 4 - 1) + " bytes)")
                .hasMessageEndingWith("lower training.workers or raise spark.driver.maxResultSize");
    }

    @Test
    void anUnlimitedResultSizeLeavesTheHeapAsTheBound() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        SparkConf unlimited = new SparkConf(false).set("spark.driver.maxResultSize", "0");
        long heap = 2 * stateBytes(network) * 10;
        assertThatCode(() -> RoundBudget.check(unlimited, heap, network, 10)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoundBudget.check(unlimited, heap, network, 11))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the driver's heap")
                .hasMessageContaining("NEUROPLASTIC_DRIVER_MEMORY");
    }

    @Test
    void sparksDefaultLimitOfOneGibibyteApplies() {
        MultiLayerNetwork network = SmallNetworks.classifier();
        int workers = (int) ((1L << 30) / stateBytes(network)) + 1;
        assertThatThrownBy(() -> RoundBudget.check(new SparkConf(false), LARGE_HEAP, network, workers))
                .hasMessageContaining("over spark.driver.maxResultSize (1024.0 MiB)");
    }
}
