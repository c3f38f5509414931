package org.neuroplastic.jobs.analyze;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a mean over replicas is drawn with its 95% t interval ({@link MeanInterval}): a shaded band over the
 * points where the interval exists (two replicas or more), then the mean line in the same colour on top of it.
 */
final class IntervalBand {

    private IntervalBand() {
    }

    /**
     * Adds the band (when two or more points have an interval) and the mean line of one group to {@code chart}.
     *
     * @param x     the points' positions (task, epoch), ascending
     * @param alpha the band's opacity out of 255: light enough for the other groups' lines to show through
     * @return the mean line, for the caller's marker style
     */
    static XYSeries draw(XYChart chart, String label, List<Double> x, List<MeanInterval> values, Color color, int alpha) {
        List<Double> means = new ArrayList<>();
        List<Double> bandX = new ArrayList<>();
        List<Double> lows = new ArrayList<>();
        List<Double> highs = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            MeanInterval value = values.get(i);
            means.add(value.mean());
            if (value.ciLow() != null) {
                bandX.add(x.get(i));
                lows.add(value.ciLow());
                highs.add(value.ciHigh());
            }
        }
        if (bandX.size() >= 2) {
            // The band's outline: the upper ends forward, then the lower ends back.
            List<Double> outlineX = new ArrayList<>(bandX);
            List<Double> outlineY = new ArrayList<>(highs);
            for (int i = bandX.size() - 1; i >= 0; i--) {
                outlineX.add(bandX.get(i));
                outlineY.add(lows.get(i));
            }
            XYSeries band = chart.addSeries(label + " 95% interval", outlineX, outlineY);
            band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha));
            band.setLineStyle(SeriesLines.NONE);
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
        }
        XYSeries mean = chart.addSeries(label, x, means);
        mean.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        mean.setLineColor(color);
        return mean;
    }
}
