package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.sweep.ExecutorPlacement.Executor;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which executor the next trial prefers (the spreading itself is checked on a real cluster: StandaloneSweepTest). */
class ExecutorPlacementTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static final Executor A = new Executor("0", "10.0.0.1", 2, 0);
    private static final Executor B = new Executor("1", "10.0.0.2", 2, 1);
    private static final Executor C = new Executor("2", "10.0.0.2", 4, 0);

    @Test
    void theExecutorWithTheFewestTrialsInFlightIsChosenThenTheLeastBusyThenTheFirstById() {
        assertThat(ExecutorPlacement.least(List.of(A, B), Map.of())).isEqualTo(A);
        assertThat(ExecutorPlacement.least(List.of(A, B), Map.of("0", 1))).isEqualTo(B);
        assertThat(ExecutorPlacement.least(List.of(B, C), Map.of("1", 1, "2", 1))).isEqualTo(C);
        assertThat(ExecutorPlacement.least(List.of(new Executor("5", "h", 1, 0), new Executor("4", "h", 1, 0)),
                Map.of())).extracting(Executor::id).isEqualTo("4");
    }

    @Test
    void noPreferenceWithOneExecutorOrNoFreeSlot() {
        assertThat(ExecutorPlacement.least(List.of(A), Map.of())).isNull();
        assertThat(ExecutorPlacement.least(List.of(A, B), Map.of("0", 2, "1", 2))).isNull();
        assertThat(ExecutorPlacement.least(List.of(A, B), Map.of("0", 2))).isEqualTo(B);
    }

    @Test
    void anExecutorIsNamedToTheSchedulerAsExecutorHostId() {
        assertThat(B.location()).isEqualTo("executor_10.0.0.2_1");
    }

    @Test
    void inLocalModeTheTrialTaskIsOneElementWithoutAPreferredLocation() {
        ExecutorPlacement<String> placement = new ExecutorPlacement<>(SPARK.session().sparkContext());
        var seed = placement.seed("t0000");
        assertThat(seed.collect()).containsExactly(0);
        assertThat(seed.rdd().preferredLocations(seed.rdd().partitions()[0]).isEmpty()).isTrue();
        placement.ended("t0000");
    }
}
