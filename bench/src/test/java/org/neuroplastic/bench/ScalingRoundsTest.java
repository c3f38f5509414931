package org.neuroplastic.bench;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuroplastic.model.network.NetworkSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ScalingRoundsTest {

    /** The session the benchmark itself measures under. */
    private static SparkSession spark;

    private static final Pattern FIELD = Pattern.compile("(\\w+): (\\S+)");

    @BeforeAll
    static void startSpark() {
        spark = BenchmarkSession.spark("local[2]", ScalingRoundsTest.class.getSimpleName());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void measuresTwoWorkersOfATinyNetworkAndPrintsEveryFieldPositive() {
        NetworkSpec spec = ScalingNetwork.network(5_000);
        long parameters = ScalingNetwork.parameterCount(spec);
        assertThat(parameters).isBetween(4_500L, 5_500L);

        ScalingMeasurement m = ScalingRounds.measure(spark, 2, spec, 1, 2, 2, true);

        assertThat(m.succeeded()).as(m.line()).isTrue();
        Map<String, Double> fields = new LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(m.line());
        while (matcher.find()) {
            fields.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        assertThat(fields).containsOnlyKeys("workers", "parameters", "workers_per_task", "round_overhead_ms", "driver_ms", "task_ms_per_slot",
                "driver_bytes_per_round",
                "driver_peak_heap_mb", "round_wall_ms", "slowest_fit_ms", "fit_ms_per_slot", "overhead_beyond_fits_ms",
                "rounds");
        assertThat(fields.values()).as(m.line()).allSatisfy(value -> assertThat(value).isPositive());
        assertThat(fields.get("workers")).isEqualTo(2.0);
        assertThat(fields.get("parameters")).isEqualTo((double) parameters);
        assertThat(fields.get("rounds")).isEqualTo(2.0);
        // Two workers on two slots: the summed fits over the slots are at most the slowest fit, which is subtracted.
        assertThat(fields.get("fit_ms_per_slot")).isLessThanOrEqualTo(fields.get("slowest_fit_ms"));
        assertThat(fields.get("overhead_beyond_fits_ms")).isEqualTo(fields.get("round_overhead_ms"));
    }
}
