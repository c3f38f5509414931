package org.neuroplastic.jobs.analyze;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A continual study's final accuracy on each task, one line per group (the mean over its replicas) with its shaded
 * 95% t interval: {@code plots/continual_accuracy.png}. The end of the stream, task by task: how much of each
 * early task a method kept.
 */
final class ContinualGroupCharts {

    static final String FILE = "continual_accuracy.png";
    /** Opacity of a band, out of 255: light enough for the other groups' lines to show through. */
    private static final int BAND_ALPHA = 45;
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private ContinualGroupCharts() {
    }

    static AnalysisCharts.Plot draw(Storage storage, ContinualGroupTables tables, Location out) {
        Map<String, List<ContinualGroupTables.TaskStatistic>> byGroup = new LinkedHashMap<>();
        tables.finalAccuracy().forEach(s -> byGroup.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s));
        int fewest = byGroup.values().stream().mapToInt(points -> points.get(0).value().n()).min().orElse(0);
        int most = byGroup.values().stream().mapToInt(points -> points.get(0).value().n()).max().orElse(0);
        String title = FigureTitle.of("Test accuracy on each task after the last", byGroup.size() + " groups", fewest, most);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("task").yAxisTitle("final test accuracy").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(6);
        Color[] palette = chart.getStyler().getSeriesColors();
        int index = 0;
        for (Map.Entry<String, List<ContinualGroupTables.TaskStatistic>> group : byGroup.entrySet()) {
            List<ContinualGroupTables.TaskStatistic> points = group.getValue();
            Color color = palette[index++ % palette.length];
            IntervalBand.draw(chart, group.getKey() + " (" + points.get(0).value().n() + " replicas)",
                    points.stream().map(p -> (double) p.task()).toList(),
                    points.stream().map(ContinualGroupTables.TaskStatistic::value).toList(), color, BAND_ALPHA)
                    .setMarkerColor(color);
        }
        return AnalysisCharts.save(List.of(chart), 1, 1,
                new AnalysisCharts.ChartFile(storage, out.resolve(AnalysisCharts.FOLDER).resolve(FILE)), title,
                "One line per group: the mean over its seeds of the accuracy on each task at the end of the stream, "
                        + "with the 95% Student-t interval as a band.");
    }
}
