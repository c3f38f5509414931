package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;
import org.neuroplastic.bench.HalvingModel.Race;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Races of three trials on two slots (one rung at epoch 1 of 3, reduction factor 3), timed by hand. */
class HalvingModelTest {

    private final HalvingModel model = new HalvingModel(new HalvingModel.Settings(3, List.of(1), 3, 2));
    /** Trial 1 is the best, trial 2 the next. */
    private final double[] quality = {0.3, 0.1, 0.2};

    @Test
    void withEqualCostsBothHalvingsEndTheBestTrialWhenItsTwoLastEpochsFollowTheRung() {
        // Synchronous: t0 and t1 end the rung at 1, t2 at 2; t1 goes on from 2 to 4. ASHA: t2 starts at 1, and
        // at 2 three trials have reached the rung, so t1 (the best third) goes on, 2 to 4.
        double[] ones = {1, 1, 1};
        assertThat(model.race(quality, ones, ones)).isEqualTo(new Race(4, 4, 4, 4));
    }

    @Test
    void onTheClockOfEpochsASlotWaitsForASlowTrialsResultAndOnTheWallClockItDoesNot() {
        double[] cost = {3, 1, 1};
        // Synchronous: t0 holds slot 0 until 3 while t1 (0-1) and t2 (1-2) share slot 1; t1 goes on 3 to 5.
        // ASHA, epochs: t2's decision is taken at epoch-time 1, when t0 is due, so it waits for t0's end at 3
        // (3-4); t1 is promoted once t2 has reached the rung and goes on 4 to 6.
        assertThat(model.race(quality, cost, new double[] {1, 1, 1})).isEqualTo(new Race(5, 5, 6, 6));
        // ASHA, wall: t2 starts at 1 when t1 ends; t1 is promoted when t0 reaches the rung at 3 and goes on 3 to 5.
        assertThat(model.race(quality, cost, cost)).isEqualTo(new Race(5, 5, 5, 5));
    }

    @Test
    void ashaEndsTheBestTrialFirstWhenItIsDrawnFirstAndSynchronousHalvingWaitsForTheRung() {
        // Six trials, one rung at epoch 1 of 3: trial 0 is the best. Synchronous: the rung ends at 3 (three unit
        // jobs per slot), then t0 and t3 (the best two) go on: t0 3-5. ASHA: at 1 only t0 and t1 have reached the
        // rung (2/3 = 0 promoted); t2 and t3 run 1-2, and at 2 four have reached it, so t0 goes on 2 to 4.
        double[] six = {0.1, 0.5, 0.4, 0.2, 0.6, 0.3};
        double[] ones = {1, 1, 1, 1, 1, 1};
        Race race = model.race(six, ones, ones);
        assertThat(race.syncTimeToBest()).isEqualTo(5);
        assertThat(race.ashaTimeToSyncBest()).isEqualTo(4);
    }
}
