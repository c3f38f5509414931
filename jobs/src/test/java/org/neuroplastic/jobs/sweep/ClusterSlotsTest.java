package org.neuroplastic.jobs.sweep;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The task slots an application's configuration allows, per cluster manager, as Spark documents them. */
class ClusterSlotsTest {

    private static OptionalInt slots(String master, String... settings) {
        SparkConf conf = new SparkConf(false).set("spark.master", master);
        for (int i = 0; i < settings.length; i += 2) {
            conf.set(settings[i], settings[i + 1]);
        }
        return ClusterSlots.maximum(conf);
    }

    @Test
    void localModeHasItsThreadsAsSlotsDividedByTheTaskCpus() {
        assertThat(slots("local")).hasValue(1);
        assertThat(slots("local[3]")).hasValue(3);
        assertThat(slots("local[4, 2]")).hasValue(4);
        assertThat(slots("local[*]")).hasValue(Runtime.getRuntime().availableProcessors());
        assertThat(slots("local[4]", "spark.task.cpus", "2")).hasValue(2);
        assertThat(slots("local-cluster[3, 2, 1024]")).hasValue(6);
    }

    @Test
    void yarnAndKubernetesHaveExecutorInstancesTimesExecutorCoresTwoExecutorsOfOneCoreUnlessSet() {
        assertThat(slots("yarn")).hasValue(2);
        assertThat(slots("yarn", "spark.executor.instances", "8", "spark.executor.cores", "4")).hasValue(32);
        assertThat(slots("k8s://https://127.0.0.1:6443", "spark.executor.instances", "5")).hasValue(5);
        assertThat(slots("yarn", "spark.executor.instances", "4", "spark.executor.cores", "4",
                "spark.task.cpus", "2")).hasValue(8);
    }

    @Test
    void dynamicAllocationIsBoundedOnlyByItsMaximumExecutors() {
        assertThat(slots("yarn", "spark.dynamicAllocation.enabled", "true", "spark.executor.instances", "2")).isEmpty();
        assertThat(slots("yarn", "spark.dynamicAllocation.enabled", "true", "spark.dynamicAllocation.maxExecutors",
                "10", "spark.executor.cores", "2")).hasValue(20);
    }

    @Test
    void standaloneIsBoundedOnlyByCoresMax() {
        assertThat(slots("spark://127.0.0.1:7077")).isEmpty();
        assertThat(slots("spark://127.0.0.1:7077", "spark.cores.max", "6")).hasValue(6);
        assertThat(slots("mesos://127.0.0.1:5050")).isEmpty();
    }
}
