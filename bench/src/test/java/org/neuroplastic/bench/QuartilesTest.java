package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QuartilesTest {

    @Test
    void interpolatesBetweenOrderStatisticsAsNumpyDoes() {
        // Sorted 1, 2, 4, 7, 10: positions 1, 2, 3 are 2, 4 and 7 exactly.
        Quartiles odd = Quartiles.of(new double[]{10, 1, 7, 2, 4});
        assertThat(odd.q1()).isEqualTo(2);
        assertThat(odd.median()).isEqualTo(4);
        assertThat(odd.q3()).isEqualTo(7);
        // Sorted 1, 2, 4, 8: positions 0.75, 1.5 and 2.25: 1 + 0.75, (2 + 4) / 2, 4 + 0.25 * 4
        // (numpy.quantile([1, 2, 4, 8], [0.25, 0.5, 0.75]) = 1.75, 3, 5).
        Quartiles even = Quartiles.of(new double[]{8, 4, 2, 1});
        assertThat(even.q1()).isCloseTo(1.75, within(1e-12));
        assertThat(even.median()).isCloseTo(3, within(1e-12));
        assertThat(even.q3()).isCloseTo(5, within(1e-12));
    }

    @Test
    void oneValueIsEveryQuartile() {
        assertThat(Quartiles.of(new double[]{-2.5})).isEqualTo(new Quartiles(-2.5, -2.5, -2.5));
    }
}
