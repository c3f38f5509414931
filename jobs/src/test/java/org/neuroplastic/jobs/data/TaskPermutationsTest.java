package org.neuroplastic.jobs.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TaskPermutationsTest {

    private static final int PIXELS = 784;

    @Test
    void everyTaskIsATruePermutationOfAllPixels() {
        int[][] permutations = TaskPermutations.of(5, PIXELS, 7);
        int[] all = IntStream.range(0, PIXELS).toArray();
        for (int[] order : permutations) {
            assertThat(order).hasSize(PIXELS);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertThat(sorted).containsExactly(all);
        }
    }

    @Test
    void taskZeroKeepsTheOriginalOrderAndTheOthersDifferFromItAndEachOther() {
        int[][] permutations = TaskPermutations.of(5, PIXELS, 7);
        assertThat(permutations[0]).containsExactly(IntStream.range(0, PIXELS).toArray());
        for (int a = 1; a < permutations.length; a++) {
            for (int b = 0; b < a; b++) {
                int[] first = permutations[a];
                int[] second = permutations[b];
                long agreeing = IntStream.range(0, PIXELS).filter(i -> first[i] == second[i]).count();
                assertThat(agreeing).as("positions where tasks %d and %d agree", a, b).isLessThan(20);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSamePermutationsWhateverTheTaskCount() {
        int[][] five = TaskPermutations.of(5, PIXELS, 7);
        int[][] three = TaskPermutations.of(3, PIXELS, 7);
        assertThat(TaskPermutations.of(5, PIXELS, 7)).isDeepEqualTo(five);
        for (int t = 0; t < 3; t++) {
            assertThat(three[t]).containsExactly(five[t]);
        }
        assertThat(TaskPermutations.of(5, PIXELS, 8)[1]).isNotEqualTo(five[1]);
    }
}
