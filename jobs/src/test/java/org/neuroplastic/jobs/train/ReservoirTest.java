package org.neuroplastic.jobs.train;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReservoirTest {

    private static final int CAPACITY = 100;
    private static final int STREAM = 1_000;
    private static final int RUNS = 2_000;

    private static long[] held(Reservoir reservoir) {
        long[] positions = new long[reservoir.filled()];
        for (int slot = 0; slot < positions.length; slot++) {
            positions[slot] = reservoir.position(slot);
        }
        return positions;
    }

    /**
     * Each of 1,000 positions streamed into a 100-slot reservoir, over 2,000 seeds, is held in Binomial(2000, 0.1)
     * runs: mean 200, variance 180. Pearson's statistic sum (count - 200)^2 / 180 over the 1,000 positions is then
     * close to chi-square with 999 degrees of freedom (the counts sum to 200,000 exactly): mean 999, standard
     * deviation sqrt(2 * 999) = 44.7. The bounds are 5 standard deviations either side, and no single count may
     * stray 6 binomial standard deviations (6 * 13.4 = 80) from 200; a uniform sampler fails either with
     * probability below 1e-5. A sampler that kept the first 100 positions would give 2,000,000.
     */
    @Test
    void everyPositionIsHeldWithProbabilityCapacityOverStreamLength() {
        int[] counts = new int[STREAM];
        for (int run = 0; run < RUNS; run++) {
            Reservoir reservoir = new Reservoir(CAPACITY, run);
            reservoir.offer(STREAM);
            for (long position : held(reservoir)) {
                counts[(int) position]++;
            }
        }
        double expected = RUNS * (double) CAPACITY / STREAM;
        double variance = expected * (1 - (double) CAPACITY / STREAM);
        double chiSquare = 0;
        int worst = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / variance;
            worst = Math.max(worst, (int) Math.abs(count - expected));
        }

        assertThat(chiSquare).isBetween(999 - 5 * 44.7, 999 + 5 * 44.7);
        assertThat(worst).isLessThan(80);
    }

    @Test
    void holdsDistinctPositionsAndFillsInOrderFirst() {
        Reservoir reservoir = new Reservoir(CAPACITY, 7);
        reservoir.offer(40);
        assertThat(reservoir.filled()).isEqualTo(40);
        assertThat(held(reservoir)).containsExactly(java.util.stream.LongStream.range(0, 40).toArray());
        assertThat(reservoir.position(40)).isEqualTo(-1);

        reservoir.offer(STREAM - 40);
        Set<Long> distinct = new HashSet<>();
        for (long position : held(reservoir)) {
            distinct.add(position);
            assertThat(position).isBetween(0L, STREAM - 1L);
        }
        assertThat(reservoir.filled()).isEqualTo(CAPACITY);
        assertThat(distinct).hasSize(CAPACITY);
        assertThat(reservoir.seen()).isEqualTo(STREAM);
    }

    /** A task at a time or all at once, as a resumed run rebuilds it: the same sample from the same seed. */
    @Test
    void dependsOnTheSeedAndThePositionsOfferedNotOnHowTheyAreCut() {
        Reservoir whole = new Reservoir(CAPACITY, 11);
        whole.offer(STREAM);
        Reservoir byTask = new Reservoir(CAPACITY, 11);
        byTask.offer(300);
        byTask.offer(0);
        byTask.offer(700);
        Reservoir otherSeed = new Reservoir(CAPACITY, 12);
        otherSeed.offer(STREAM);

        assertThat(held(byTask)).containsExactly(held(whole));
        assertThat(held(otherSeed)).isNotEqualTo(held(whole));
    }

    @Test
    void refusesAnEmptyReservoir() {
        assertThatThrownBy(() -> new Reservoir(0, 1)).hasMessage("a reservoir needs capacity >= 1, found 0");
    }
}
