package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Draws the analysis as PNG files under {@code <out>/plots/}: learning curves, the plasticity of the
 * averaged network per layer ({@link PlasticityCharts}), the metric against each hyperparameter, and for continual
 * learning the charts of {@link ContinualCharts}. Curves are drawn for the best {@link #MAX_RUNS} runs of the
 * ranking: more lines than that cannot be told apart. Every title names what is drawn and its seed count
 * ({@link FigureTitle}); charts over epochs or steps mark task boundaries ({@link TaskBoundaries}) and a sweep's
 * rungs ({@link SweepRungs}).
 */
final class AnalysisCharts {

    static final String FOLDER = "plots";
    static final int MAX_RUNS = 10;

    static final int WIDTH = 900;
    static final int HEIGHT = 520;

    /**
     * A drawn chart: its file under the output folder, what it shows, the PNG's bytes, and a line for the reader
     * (what the vertical marks are, which panels were left out and why); empty when there is nothing to say.
     */
    record Plot(Location file, String title, byte[] png, String note) {
    }

    /**
     * The charts drawn, and one line per chart that was not drawn at all because every panel was left out.
     */
    record Drawing(List<Plot> plots, List<String> leftOut) {
        Drawing {
            plots = List.copyOf(plots);
            leftOut = List.copyOf(leftOut);
        }
    }

    /** The folder the charts are written to. */
    record ChartFolder(Storage storage, Location location) {
        ChartFile resolve(String name) {
            return new ChartFile(storage, location.resolve(name));
        }
    }

    record ChartFile(Storage storage, Location location) {
    }

    private AnalysisCharts() {
    }

    /**
     * @param rungs the epochs a sweep with early stopping compared its trials after; empty otherwise
     */
    static Drawing draw(SparkSession spark, AnalysisTables tables, Location out, List<Integer> rungs) {
        // Charts are painted off-screen: servers and cluster drivers have no display.
        System.setProperty("java.awt.headless", "true");
        ChartFolder folder = new ChartFolder(Storage.of(spark), out.resolve(FOLDER));
        Map<String, String> labels = bestRuns(tables);
        List<Plot> plots = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        if (!labels.isEmpty()) {
            learningCurves(spark, labels, rungs, folder).ifPresent(plots::add);
            PlasticityCharts.draw(spark, labels, folder, plots, leftOut);
        }
        tables.parameterPoints().ifPresent(points -> plots.addAll(parameterEffects(points.collectAsList(), tables.metric(), folder)));
        ParetoChart.of(tables, WIDTH, HEIGHT).ifPresent(chart -> plots.add(
                save(List.of(chart), 1, 1, folder.resolve(ParetoChart.FILE), chart.getTitle(), "")));
        tables.continual().ifPresent(continual -> plots.addAll(ContinualCharts.draw(spark, continual, folder)));
        return new Drawing(plots, leftOut);
    }

    /**
     * Run id to its label (the trial id when there is one), best first: the ranking's runs, or the runs by
     * held-out loss when the ranking names none (a trials table without run ids).
     */
    private static Map<String, String> bestRuns(AnalysisTables tables) {
        List<Row> ranked = tables.ranking().where("run_id IS NOT NULL AND rank IS NOT NULL").orderBy("rank")
                .select("run_id", "trial_id").limit(MAX_RUNS).collectAsList();
        List<Row> runs = !ranked.isEmpty() ? ranked : tables.trialSummary().where("final_test_loss IS NOT NULL")
                .orderBy("final_test_loss", "run_id").select("run_id", "trial_id").limit(MAX_RUNS).collectAsList();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Row row : runs) {
            String runId = row.getString(0);
            String trialId = row.isNullAt(1) ? runId : row.getString(1);
            labels.put(runId, labels.containsValue(trialId) ? runId : trialId);
        }
        return labels;
    }

    private static Optional<Plot> learningCurves(SparkSession spark, Map<String, String> labels, List<Integer> rungs,
                                                 ChartFolder folder) {
        List<Row> rows = spark.sql("SELECT run_id, epoch, test_loss FROM analysis_learning_curves WHERE "
                + inRuns(labels) + " AND test_loss IS NOT NULL ORDER BY run_id, epoch").collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<Row>> byRun = rows.stream().collect(Collectors.groupingBy(r -> r.getString(0), LinkedHashMap::new, Collectors.toList()));
        Map<String, String> drawn = new LinkedHashMap<>(labels);
        drawn.keySet().retainAll(byRun.keySet());
        String title = FigureTitle.ofRuns("Held-out loss per epoch", drawn);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle("held-out loss").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        for (Map.Entry<String, String> run : drawn.entrySet()) {
            chart.addSeries(run.getValue(), column(byRun.get(run.getKey()), 1), column(byRun.get(run.getKey()), 2));
        }
        String note = mark(chart, epochBoundaries(spark, List.copyOf(drawn.keySet())), "epoch", rungs, drawn);
        return Optional.of(save(List.of(chart), 1, 1, folder.resolve("learning_curves.png"), title, note));
    }

    /**
     * Where the trained task changes for the runs {@code ranked} (best first), in epochs: the held-out evaluations
     * name the task being trained.
     */
    static Optional<TaskBoundaries.Marks> epochBoundaries(SparkSession spark, List<String> ranked) {
        if (ranked.isEmpty()) {
            return Optional.empty();
        }
        String in = ranked.stream().map(AnalysisTables::stringLiteral).collect(Collectors.joining(", ", "(", ")"));
        List<TaskBoundaries.Reading> readings = spark.sql("SELECT DISTINCT run_id, epoch, trained_task FROM analysis_evaluations "
                        + "WHERE split = 'test' AND trained_task IS NOT NULL AND run_id IN " + in).collectAsList().stream()
                .map(r -> new TaskBoundaries.Reading(r.getString(0), r.getInt(1), r.getInt(2))).toList();
        return TaskBoundaries.of(readings, ranked);
    }

    /**
     * Draws a dashed vertical line at each task boundary and each rung, and says in one line what they are;
     * empty when there is neither.
     *
     * @param labels run id to the label the chart's legend gives it
     */
    static String mark(XYChart chart, Optional<TaskBoundaries.Marks> tasks, String axis, List<Integer> rungs,
                       Map<String, String> labels) {
        if (tasks.isEmpty() && rungs.isEmpty()) {
            return "";
        }
        chart.getStyler().setAnnotationLineColor(Color.GRAY);
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        List<String> parts = new ArrayList<>();
        tasks.ifPresent(marks -> {
            marks.at().forEach(x -> chart.addAnnotation(new AnnotationLine(x, true, false)));
            String whose = marks.shared() ? "" : " of run " + labels.getOrDefault(marks.run(), marks.run())
                    + " (other runs drawn switch task elsewhere)";
            parts.add("task boundaries" + whose + " at " + axis + " " + join(marks.at().stream().map(AnalysisCharts::number).toList()));
        });
        // XChart paints an annotation wherever its value falls, inside the plot or not: only the rungs the curves reach.
        double lastEpoch = chart.getSeriesMap().values().stream().flatMapToDouble(series -> Arrays.stream(series.getXData()))
                .max().orElse(Double.NEGATIVE_INFINITY);
        List<Integer> reached = rungs.stream().filter(e -> e <= lastEpoch).toList();
        if (!reached.isEmpty()) {
            reached.forEach(e -> chart.addAnnotation(new AnnotationLine(e, true, false)));
            parts.add("early-stopping rungs after epoch " + join(reached.stream().map(String::valueOf).toList()));
        }
        if (parts.isEmpty()) {
            return "";
        }
        return "Dashed vertical lines: " + String.join("; ", parts) + ".";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    private static String join(List<String> values) {
        return String.join(", ", values);
    }

    private static List<Plot> parameterEffects(List<Row> points, SweepMetric metric, ChartFolder folder) {
        Map<String, List<Row>> byParameter = points.stream()
                .collect(Collectors.groupingBy(r -> r.getString(1), LinkedHashMap::new, Collectors.toList()));
        List<Plot> plots = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Row>> parameter : byParameter.entrySet()) {
            List<Row> rows = parameter.getValue();
            String what = metric.name() + " against " + parameter.getKey();
            String subject = rows.size() + (rows.size() == 1 ? " trial" : " trials");
            ChartFile file = folder.resolve("metric_vs_parameter_" + index++ + ".png");
            boolean numeric = rows.stream().noneMatch(r -> r.isNullAt(3));
            if (numeric) {
                String title = FigureTitle.ofRuns(what, subject);
                XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                        .xAxisTitle(parameter.getKey()).yAxisTitle(metric.name()).build();
                chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                chart.getStyler().setLegendVisible(false);
                chart.getStyler().setMarkerSize(8);
                double[] x = column(rows, 3);
                double min = Arrays.stream(x).min().orElse(0);
                double max = Arrays.stream(x).max().orElse(0);
                chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 100);
                chart.addSeries("trials", x, column(rows, 4));
                plots.add(save(List.of(chart), 1, 1, file, title, ""));
            } else {
                Map<String, List<Double>> byValue = rows.stream().collect(Collectors.groupingBy(r -> r.getString(2),
                        LinkedHashMap::new, Collectors.mapping(r -> r.getDouble(4), Collectors.toList())));
                String title = FigureTitle.ofRuns(what + " (mean, std)", subject);
                CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                        .xAxisTitle(parameter.getKey()).yAxisTitle(metric.name()).build();
                chart.getStyler().setLegendVisible(false);
                List<Double> means = new ArrayList<>();
                List<Double> spreads = new ArrayList<>();
                for (List<Double> values : byValue.values()) {
                    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
                    means.add(mean);
                    spreads.add(values.size() > 1 ? Math.sqrt(squares / (values.size() - 1)) : 0.0);
                }
                chart.addSeries("mean", new ArrayList<>(byValue.keySet()), means, spreads);
                plots.add(save(List.of(chart), 1, 1, file, title, ""));
            }
        }
        return plots;
    }

    static String inRuns(Map<String, String> labels) {
        return labels.keySet().stream().map(AnalysisTables::stringLiteral).collect(Collectors.joining(", ", "run_id IN (", ")"));
    }

    static double[] column(List<Row> rows, int index) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Number) rows.get(i).get(index)).doubleValue();
        }
        return values;
    }

    static <C extends Chart<?, ?>> Plot save(List<C> charts, int rows, int columns, ChartFile file, String title, String note) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            BitmapEncoder.saveBitmap(charts, rows, columns, png, BitmapFormat.PNG);
            file.storage().writeCompletely(file.location(), png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.location(), e);
        }
        return new Plot(file.location(), title, png.toByteArray(), note);
    }
}
