package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClusterEstimateTest {

    /** A measurement whose driver share is 100 + 2 N ms and whose task takes 10 + 1e-5 P ms per worker. */
    private static ScalingMeasurement measured(int workers, long parameters) {
        double driver = 100 + 2.0 * workers;
        double task = 10 + 1e-5 * parameters;
        return new ScalingMeasurement(workers, parameters, 1, false, 0, 0, 0, 0, 0, 0, driver, task, 0, 0, 5, null, null);
    }

    @Test
    void theTaskTimeIsFittedAgainstTheParameters() {
        double[] fit = ClusterEstimate.linear(List.of(measured(2, 1_000_000), measured(8, 3_000_000)));
        assertThat(fit[0]).isCloseTo(10, within(1e-9));
        assertThat(fit[1]).isCloseTo(1e-5, within(1e-15));
    }

    @Test
    void aRoundOnTheClusterIsTheDriversShareOneTaskAndThreeTransfers() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClusterEstimate.print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(measured(2, 1_000_000), measured(8, 1_000_000), measured(2, 3_000_000)), new int[] {64},
                2_000_000);
        // Driver 100 + 2 x 64 = 228 ms; task 10 + 20 = 30 ms; transfer 3 x 12 x 2e6 bytes / 1.25e9 B/s = 57.6 ms.
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("cluster_estimate_round_ms N=64 P=2000000: 316 (driver 228, task 30, transfer 58)");
    }

    @Test
    void oneParameterCountIsNotEnough() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ClusterEstimate.print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(measured(2, 1_000_000), measured(8, 1_000_000), measured(32, 1_000_000)), new int[] {64},
                2_000_000);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("cluster_estimate: not computed");
    }
}
