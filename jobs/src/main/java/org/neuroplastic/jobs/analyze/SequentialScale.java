package org.neuroplastic.jobs.analyze;

import org.knowm.xchart.style.HeatMapStyler;

import java.awt.Color;

/**
 * The colour scale of a heat map of values in [min, max]: sequential, palest at min and darker with the value,
 * so 0 reads as "nothing" and no hue suggests a sign the values do not have. The stops are ColorBrewer's
 * single-hue "Blues" (Brewer, colorbrewer2.org), its seven lightest classes: the two darkest are left out so the
 * values printed in the cells, in black, stay legible on every cell. XChart interpolates linearly between
 * evenly spaced stops; {@link #colorAt} is that interpolation.
 */
final class SequentialScale {

    static final Color[] STOPS = {
            new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1),
            new Color(0x6baed6), new Color(0x4292c6), new Color(0x2171b5)};

    private SequentialScale() {
    }

    /** Sets the stops, the range and the gradient legend on a heat map. */
    static void apply(HeatMapStyler styler, double min, double max) {
        styler.setRangeColors(STOPS);
        styler.setPiecewise(false);
        styler.setMin(min);
        styler.setMax(max);
        styler.setLegendVisible(true);
        styler.setValueFontColor(Color.BLACK);
    }

    /** The colour of {@code value}, clamped into [min, max]. */
    static Color colorAt(double value, double min, double max) {
        double position = Math.max(0, Math.min(1, (value - min) / (max - min))) * (STOPS.length - 1);
        int low = Math.min((int) Math.floor(position), STOPS.length - 2);
        double t = position - low;
        Color a = STOPS[low];
        Color b = STOPS[low + 1];
        return new Color(mix(a.getRed(), b.getRed(), t), mix(a.getGreen(), b.getGreen(), t), mix(a.getBlue(), b.getBlue(), t));
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    /** Relative luminance (WCAG 2.0), to check that darker means a higher value. */
    static double luminance(Color color) {
        return 0.2126 * linear(color.getRed()) + 0.7152 * linear(color.getGreen()) + 0.0722 * linear(color.getBlue());
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
