package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;
import org.neuroplastic.bench.HalvingRace.TrialEnd;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HalvingRaceTest {

    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    private static TrialEnd end(String id, int seconds, double metric) {
        return new TrialEnd(id, START.plusSeconds(seconds), metric);
    }

    private final HalvingRace race = new HalvingRace(START, START.plusSeconds(120), List.of(
            end("t0", 30, 0.50), end("t1", 10, 0.70), end("t2", 90, 0.20), end("t3", 60, 0.20), end("t4", 20, Double.NaN)));

    @Test
    void theBestIsTheLowestMetricAndItsTimeIsTheFirstTrialToReachIt() {
        assertThat(race.best()).isEqualTo(0.20);
        assertThat(race.secondsToReach(race.best())).isEqualTo(60.0);
    }

    @Test
    void aTargetIsReachedByTheFirstTrialAtLeastAsGoodAndNeverWhenNoneIs() {
        assertThat(race.secondsToReach(0.6)).isEqualTo(30.0);
        assertThat(race.secondsToReach(0.1)).isNaN();
    }

    @Test
    void throughputCountsEveryTrialThatEndedPerMinuteOfWall() {
        assertThat(race.wallSeconds()).isEqualTo(120.0);
        assertThat(race.trialsPerMinute()).isEqualTo(2.5);
    }
}
