package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A two-metric sweep's trials, one against the other, with the Pareto front joined by a line: the trade-off
 * the sweep found. Drawn only for exactly two metrics; three would need pairwise panels, not drawn yet.
 */
final class ParetoChart {

    static final String FILE = "pareto_front.png";

    private ParetoChart() {
    }

    static Optional<XYChart> of(AnalysisTables tables, int width, int height) {
        if (tables.objectives().size() != 2) {
            return Optional.empty();
        }
        String x = TrialRanking.column(tables.objectives().get(0));
        String y = TrialRanking.column(tables.objectives().get(1));
        List<Row> points = tables.ranking().where("`" + x + "` IS NOT NULL AND `" + y + "` IS NOT NULL")
                .select("pareto_optimal", x, y).collectAsList();
        List<Row> front = points.stream().filter(r -> r.getBoolean(0))
                .sorted(Comparator.comparingDouble(r -> r.getDouble(1))).toList();
        List<Row> others = points.stream().filter(r -> !r.getBoolean(0)).toList();
        if (front.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title(tables, points.size()))
                .xAxisTitle(goal(tables.objectives().get(0))).yAxisTitle(goal(tables.objectives().get(1))).build();
        if (!others.isEmpty()) {
            XYSeries dominated = chart.addSeries("dominated trials", values(others, 1), values(others, 2));
            dominated.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dominated.setMarker(SeriesMarkers.CIRCLE);
        }
        XYSeries optimal = chart.addSeries("Pareto front", values(front, 1), values(front, 2));
        optimal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        optimal.setMarker(SeriesMarkers.DIAMOND);
        chart.getStyler().setMarkerSize(9);
        return Optional.of(chart);
    }

    static String title(AnalysisTables tables, int trials) {
        return FigureTitle.ofRuns("Pareto front: " + tables.objectives().get(1).name() + " against " + tables.objectives().get(0).name(),
                trials + (trials == 1 ? " trial" : " trials"));
    }

    private static String goal(SweepMetric metric) {
        return "final " + metric.name() + " (" + metric.goal() + ")";
    }

    private static double[] values(List<Row> rows, int index) {
        return rows.stream().mapToDouble(r -> r.getDouble(index)).toArray();
    }
}
