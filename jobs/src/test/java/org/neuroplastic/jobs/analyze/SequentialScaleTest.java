package org.neuroplastic.jobs.analyze;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.style.HeatMapStyler;

import java.awt.Color;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The heat map's colour scale: pale at 0, darker with the value, blue throughout (never orange). */
class SequentialScaleTest {

    @Test
    void zeroIsThePalestColourAndOneTheDarkest() {
        assertThat(SequentialScale.colorAt(0, 0, 1)).isEqualTo(new Color(0xf7fbff));
        assertThat(SequentialScale.colorAt(1, 0, 1)).isEqualTo(new Color(0x2171b5));
        // Relative luminance: 0.96 at 0 (near white), 0.16 at 1.
        assertThat(SequentialScale.luminance(SequentialScale.colorAt(0, 0, 1))).isCloseTo(0.96, within(0.01));
        assertThat(SequentialScale.luminance(SequentialScale.colorAt(1, 0, 1))).isCloseTo(0.16, within(0.01));
    }

    @Test
    void aHigherValueIsNeverPalerAndNeverLeavesTheBlueHue() {
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 100; i++) {
            Color color = SequentialScale.colorAt(i / 100.0, 0, 1);
            double luminance = SequentialScale.luminance(color);
            assertThat(luminance).as("value %s", i / 100.0).isLessThan(previous);
            previous = luminance;
            // Blue dominates every colour of the scale: orange (red above blue) never appears.
            assertThat(color.getBlue()).as("value %s", i / 100.0).isGreaterThanOrEqualTo(color.getRed()).isGreaterThanOrEqualTo(color.getGreen());
        }
    }

    @Test
    void halfWayIsTheMiddleStopAndValuesOutsideTheRangeAreClamped() {
        // Seven stops over [0, 1]: 0.5 is stop 3 exactly.
        assertThat(SequentialScale.colorAt(0.5, 0, 1)).isEqualTo(new Color(0x9ecae1));
        assertThat(SequentialScale.colorAt(-0.2, 0, 1)).isEqualTo(new Color(0xf7fbff));
        assertThat(SequentialScale.colorAt(1.3, 0, 1)).isEqualTo(new Color(0x2171b5));
    }

    @Test
    void theHeatMapGetsTheScaleTheRangeAndALegend() {
        HeatMapStyler styler = new HeatMapStyler();
        SequentialScale.apply(styler, 0, 1);
        assertThat(styler.getRangeColors()).containsExactly(SequentialScale.STOPS);
        assertThat(styler.getMin()).isEqualTo(0);
        assertThat(styler.getMax()).isEqualTo(1);
        assertThat(styler.isPiecewise()).isFalse();
        assertThat(styler.isLegendVisible()).isTrue();
    }
}
