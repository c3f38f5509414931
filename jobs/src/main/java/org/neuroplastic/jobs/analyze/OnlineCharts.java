package org.neuroplastic.jobs.analyze;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's series over the tasks of the stream, one line per group (the mean over its replicas) with its shaded
 * 95% t interval: {@code plots/online_accuracy.png}, {@code plots/online_dead_fraction.png} and
 * {@code plots/online_effective_rank.png}, the three panels of Dohare et al.'s figures; a series no run read is
 * not drawn.
 */
final class OnlineCharts {

    /** Opacity of a band, out of 255: light enough for the other groups' lines to show through. */
    private static final int BAND_ALPHA = 45;
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final Map<String, String> AXES = Map.of(
            OnlineStudy.ACCURACY, "online accuracy",
            OnlineStudy.DEAD, "dead fraction (first hidden layer)",
            OnlineStudy.RANK, "effective rank (first hidden layer)");

    private OnlineCharts() {
    }

    static List<AnalysisCharts.Plot> draw(Storage storage, OnlineTables tables, Location out) {
        List<AnalysisCharts.Plot> plots = new ArrayList<>();
        for (String series : OnlineStudy.SERIES) {
            Map<String, List<OnlineStudy.TaskStatistic>> byGroup = new LinkedHashMap<>();
            tables.taskStatistics().stream().filter(s -> s.series().equals(series))
                    .forEach(s -> byGroup.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s));
            if (byGroup.isEmpty()) {
                continue;
            }
            int fewest = byGroup.values().stream().mapToInt(points -> points.get(0).value().n()).min().orElse(0);
            int most = byGroup.values().stream().mapToInt(points -> points.get(0).value().n()).max().orElse(0);
            String title = FigureTitle.of(AXES.get(series) + " per task", byGroup.size() + " methods", fewest, most);
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                    .xAxisTitle("task").yAxisTitle(AXES.get(series)).build();
            chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
            chart.getStyler().setMarkerSize(0);
            Color[] palette = chart.getStyler().getSeriesColors();
            int index = 0;
            for (Map.Entry<String, List<OnlineStudy.TaskStatistic>> group : byGroup.entrySet()) {
                line(chart, group.getKey(), group.getValue(), palette[index++ % palette.length]);
            }
            Location file = out.resolve(AnalysisCharts.FOLDER).resolve("online_" + series.replace("online_", "") + ".png");
            plots.add(AnalysisCharts.save(List.of(chart), 1, 1, new AnalysisCharts.ChartFile(storage, file), title,
                    "One line per method: the mean over its seeds, with the 95% Student-t interval as a band."));
        }
        return plots;
    }

    private static void line(XYChart chart, String group, List<OnlineStudy.TaskStatistic> points, Color color) {
        List<Double> tasks = points.stream().map(p -> (double) p.task()).toList();
        List<MeanInterval> values = points.stream().map(OnlineStudy.TaskStatistic::value).toList();
        IntervalBand.draw(chart, group + " (" + points.get(0).value().n() + " replicas)", tasks, values, color, BAND_ALPHA)
                .setMarker(SeriesMarkers.NONE);
    }
}
