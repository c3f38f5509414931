package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IrisObjectiveTest {

    /** Tests run in jobs/, so the checkout's conf/ and data/ are one folder up. */
    private static IrisObjective objective() throws IOException {
        return IrisObjective.read(Storage.of(new Configuration()), "..", 5);
    }

    @Test
    void aSettingIsScoredTheSameEachTimeSoEveryMethodSeesOneFunction() throws IOException {
        IrisObjective iris = objective();
        Map<String, String> setting = Map.of("network.updater.learning_rate", "0.03",
                "network.hidden.0.plasticity.hebbian.eta", "0.001",
                "network.hidden.0.plasticity.structural.density", "0.8", "network.hidden.0.size", "16");
        double first = iris.value(setting);
        assertThat(first).isFinite().isPositive();
        assertThat(iris.value(setting)).isEqualTo(first);
    }

    @Test
    void theSearchSpaceIsTheFourKeysOfTheIrisSweep() throws IOException {
        assertThat(objective().parameters()).extracting(p -> p.key()).containsExactly(
                "network.updater.learning_rate", "network.hidden.0.plasticity.hebbian.eta",
                "network.hidden.0.plasticity.structural.density", "network.hidden.0.size");
    }
}
