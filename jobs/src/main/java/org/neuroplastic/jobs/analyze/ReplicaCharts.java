package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The held-out loss per epoch of the settings that have replicas, drawn as the mean over the replicas with a
 * shaded 95% t interval ({@link MeanInterval}) at every epoch two or more replicas evaluated:
 * {@code plots/learning_curves_replicas.png}. At most {@link AnalysisCharts#MAX_RUNS} settings, those with the
 * lowest mean final held-out loss: more bands than that overlap beyond reading.
 */
final class ReplicaCharts {

    static final String FILE = "learning_curves_replicas.png";

    /** Opacity of a band, out of 255: light enough for the bands and mean lines under it to show through. */
    private static final int BAND_ALPHA = 60;
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private ReplicaCharts() {
    }

    /**
     * @param rungs the epochs a sweep with early stopping compared its trials after, marked on the chart; empty otherwise
     */
    static Optional<AnalysisCharts.Plot> learningCurves(SparkSession spark, SweepSettings sweep, Location out, List<Integer> rungs) {
        List<SweepSettings.Setting> settings = sweep.settings().stream().filter(s -> s.runIds().size() >= 2)
                .sorted(Comparator.comparingDouble(ReplicaCharts::meanFinalLoss)).limit(AnalysisCharts.MAX_RUNS).toList();
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        String runs = settings.stream().flatMap(s -> s.runIds().stream()).map(AnalysisTables::stringLiteral)
                .collect(Collectors.joining(", ", "(", ")"));
        Map<String, List<Row>> curves = spark.sql("SELECT run_id, epoch, test_loss FROM analysis_learning_curves WHERE run_id IN "
                        + runs + " AND test_loss IS NOT NULL").collectAsList().stream()
                .collect(Collectors.groupingBy(r -> r.getString(0)));
        int fewest = settings.stream().mapToInt(st -> st.runIds().size()).min().orElse(0);
        int most = settings.stream().mapToInt(st -> st.runIds().size()).max().orElse(0);
        String subject = settings.size() == 1 ? settings.get(0).description()
                : settings.size() + " settings";
        String title = FigureTitle.of("Held-out loss per epoch, mean and 95% t interval", subject, fewest, most);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle("held-out loss").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(5);
        Color[] palette = chart.getStyler().getSeriesColors();
        for (int s = 0; s < settings.size(); s++) {
            SweepSettings.Setting setting = settings.get(s);
            Map<Integer, List<Double>> byEpoch = new TreeMap<>();
            for (String run : setting.runIds()) {
                for (Row point : curves.getOrDefault(run, List.of())) {
                    byEpoch.computeIfAbsent(point.getInt(1), e -> new ArrayList<>()).add(point.getDouble(2));
                }
            }
            if (!byEpoch.isEmpty()) {
                draw(chart, setting, byEpoch, palette[s % palette.length]);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return Optional.empty();
        }
        List<String> runIds = settings.stream().flatMap(st -> st.runIds().stream()).toList();
        String note = AnalysisCharts.mark(chart, AnalysisCharts.epochBoundaries(spark, runIds), "epoch", rungs, Map.of());
        return Optional.of(AnalysisCharts.save(List.of(chart), 1, 1,
                new AnalysisCharts.ChartFile(Storage.of(spark), out.resolve(AnalysisCharts.FOLDER).resolve(FILE)), title, note));
    }

    private static void draw(XYChart chart, SweepSettings.Setting setting, Map<Integer, List<Double>> byEpoch, Color color) {
        List<Double> epochs = byEpoch.keySet().stream().map(e -> (double) e).toList();
        List<MeanInterval> values = byEpoch.values().stream()
                .map(v -> MeanInterval.of(v.stream().mapToDouble(Double::doubleValue).toArray())).toList();
        String label = setting.description() + " (" + setting.runIds().size() + " replicas)";
        IntervalBand.draw(chart, label, epochs, values, color, BAND_ALPHA).setMarkerColor(color);
    }

    private static double meanFinalLoss(SweepSettings.Setting setting) {
        return setting.replicas().stream().map(r -> r.metrics().get("final_test_loss")).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).average().orElse(Double.POSITIVE_INFINITY);
    }
}
