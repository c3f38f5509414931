package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;
import org.neuroplastic.bench.HalvingRace.TrialEnd;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HalvingRaceTest {

    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    private static TrialEnd end(String id, int seconds, double metric) {
        return new TrialEnd(id, START.plusSeconds(seconds), metric, 3, 16, 10);
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

    @Test
    void workSumsEveryTrialsEpochsWidthTimesEpochsAndTrainingSeconds() {
        HalvingRace twoTrials = new HalvingRace(START, START.plusSeconds(50), List.of(
                new TrialEnd("t0", START.plusSeconds(20), 0.4, 3, 16, 12.5),
                new TrialEnd("t1", START.plusSeconds(50), 0.3, 9, 100, 67.5)));
        assertThat(twoTrials.epochsTrained()).isEqualTo(12);
        // 3 * 16 + 9 * 100
        assertThat(twoTrials.widthEpochs()).isEqualTo(948);
        assertThat(twoTrials.trainingSeconds()).isEqualTo(80.0);
        // 80 s of training over 2 slots x 50 s of wall
        assertThat(twoTrials.busyFraction(2)).isEqualTo(0.8);
    }
}
