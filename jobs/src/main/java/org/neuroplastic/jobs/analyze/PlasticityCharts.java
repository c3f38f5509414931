package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code plots/plasticity_layer_<l>.png}: per layer, one panel per plasticity column against the step, from the
 * averaged network's rows of the best-ranked runs. A panel that is flat in every run drawn, or empty, is left out
 * ({@link PanelSelection}) and named in the plot's note; a layer with no panel left gets no file, and a line
 * saying so. Task boundaries of continual runs are marked on every panel.
 */
final class PlasticityCharts {

    /** The plasticity columns drawn for each layer, in panel order. */
    static final List<String> COLUMNS = List.of("hebbian_norm", "mask_density", "regrown", "scaling_mean",
            "activity_mean", "threshold_mean");

    private static final int PANEL_WIDTH = 600;
    private static final int PANEL_HEIGHT = 380;

    private PlasticityCharts() {
    }

    static void draw(SparkSession spark, Map<String, String> labels, AnalysisCharts.ChartFolder folder,
                     List<AnalysisCharts.Plot> plots, List<String> leftOut) {
        List<Row> rows = spark.sql("SELECT run_id, layer, step, " + String.join(", ", COLUMNS) + ", task"
                + " FROM analysis_trajectories WHERE worker = 'avg' AND " + AnalysisCharts.inRuns(labels)
                + " ORDER BY layer, run_id, step").collectAsList();
        Map<Integer, List<Row>> byLayer = rows.stream().collect(Collectors.groupingBy(r -> r.getInt(1), LinkedHashMap::new, Collectors.toList()));
        int taskColumn = 3 + COLUMNS.size();
        for (Map.Entry<Integer, List<Row>> layer : byLayer.entrySet()) {
            Map<String, String> drawn = present(labels, layer.getValue());
            Optional<TaskBoundaries.Marks> boundaries = TaskBoundaries.of(layer.getValue().stream()
                    .map(r -> new TaskBoundaries.Reading(r.getString(0), r.getLong(2), r.getInt(taskColumn))).toList(),
                    List.copyOf(drawn.keySet()));
            String file = "plasticity_layer_" + layer.getKey() + ".png";
            List<XYChart> panels = new ArrayList<>();
            List<String> omitted = new ArrayList<>();
            String marks = "";
            for (int m = 0; m < COLUMNS.size(); m++) {
                int valueColumn = 3 + m;
                Map<String, List<Row>> byRun = layer.getValue().stream().filter(r -> !r.isNullAt(valueColumn))
                        .collect(Collectors.groupingBy(r -> r.getString(0), LinkedHashMap::new, Collectors.toList()));
                List<double[]> values = byRun.values().stream().map(s -> AnalysisCharts.column(s, valueColumn)).toList();
                Optional<String> omission = PanelSelection.omission(COLUMNS.get(m), values);
                if (omission.isPresent()) {
                    omitted.add(omission.get());
                    continue;
                }
                // Each panel names the run and seeds too: the PNG has no title of its own above the grid.
                String panelWhat = COLUMNS.get(m) + ", layer " + layer.getKey();
                String panelTitle = FigureTitle.ofRuns(panelWhat, drawn);
                XYChart panel = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                        .title(panelTitle).xAxisTitle("step").yAxisTitle(COLUMNS.get(m)).build();
                panel.getStyler().setLegendPosition(LegendPosition.OutsideS);
                panel.getStyler().setMarkerSize(0);
                for (Map.Entry<String, String> run : drawn.entrySet()) {
                    List<Row> series = byRun.get(run.getKey());
                    if (series != null) {
                        panel.addSeries(run.getValue(), AnalysisCharts.column(series, 2), AnalysisCharts.column(series, valueColumn));
                    }
                }
                marks = AnalysisCharts.mark(panel, boundaries, "step", List.of(), drawn);
                panels.add(panel);
            }
            String left = omitted.isEmpty() ? "" : "Left out: " + String.join("; ", omitted) + ".";
            if (panels.isEmpty()) {
                boolean recorded = layer.getValue().stream().anyMatch(r -> COLUMNS.stream().anyMatch(c -> !r.isNullAt(r.fieldIndex(c))));
                leftOut.add(recorded ? file + " not drawn, no panel varies: " + String.join("; ", omitted) + "."
                        : file + " not drawn: layer " + layer.getKey() + " records no plasticity in any run drawn.");
                continue;
            }
            String what = "Plasticity of layer " + layer.getKey() + " (averaged network after each round)";
            String title = FigureTitle.ofRuns(what, drawn);
            // XChart fills a grid only when it is exactly full: two columns for an even count, else one.
            int columns = panels.size() % 2 == 0 ? 2 : 1;
            int gridRows = panels.size() / columns;
            String note = String.join(" ", List.of(marks, left)).trim();
            plots.add(AnalysisCharts.save(panels, gridRows, columns, folder.resolve(file), title, note));
        }
    }

    /** The runs of {@code labels} that have rows in {@code rows}, in ranking order. */
    private static Map<String, String> present(Map<String, String> labels, List<Row> rows) {
        Set<String> runs = rows.stream().map(r -> r.getString(0)).collect(Collectors.toSet());
        Map<String, String> present = new LinkedHashMap<>(labels);
        present.keySet().retainAll(runs);
        return present;
    }
}
