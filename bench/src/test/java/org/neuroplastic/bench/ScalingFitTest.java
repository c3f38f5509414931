package org.neuroplastic.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScalingFitTest {

    @Test
    void recoversKnownCoefficientsFromExactPoints() {
        double a = 12.5;
        double b = 0.75;
        double c = 3.2e-8;
        List<ScalingFit.Point> points = new ArrayList<>();
        for (long p : new long[] {500_000, 2_000_000, 10_000_000}) {
            for (int n : new int[] {2, 8, 32, 64, 128}) {
                if (p < 10_000_000 || n <= 16) {
                    points.add(new ScalingFit.Point(n, p, a + b * n + c * n * p));
                }
            }
        }

        ScalingFit fit = ScalingFit.of(points);

        assertThat(fit.points()).isEqualTo(points.size());
        assertThat(fit.a()).isCloseTo(a, within(1e-6));
        assertThat(fit.b()).isCloseTo(b, within(1e-8));
        assertThat(fit.c()).isCloseTo(c, within(1e-15));
        assertThat(fit.predict(256, 2_000_000)).isCloseTo(a + b * 256 + c * 256 * 2_000_000, within(1e-6));
    }

    @Test
    void refusesPointsThatDoNotDetermineTheCoefficients() {
        assertThatThrownBy(() -> ScalingFit.of(List.of(new ScalingFit.Point(2, 1000, 1), new ScalingFit.Point(8, 1000, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 configurations, found 2");
        // One worker count only: the constant and the per-worker column coincide.
        assertThatThrownBy(() -> ScalingFit.of(List.of(new ScalingFit.Point(4, 1000, 1), new ScalingFit.Point(4, 2000, 2),
                new ScalingFit.Point(4, 3000, 3)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not determine");
    }
}
