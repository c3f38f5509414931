package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Draws the analysis as PNG files under {@code <out>/plots/}: learning curves, the plasticity of the
 * averaged network per layer, the metric against each hyperparameter, and for continual learning the accuracy
 * matrix, the tasks' accuracy across the stream and forgetting against connection turnover. Curves are drawn for the best
 * {@link #MAX_RUNS} runs of the ranking: more lines than that cannot be told apart.
 */
final class AnalysisCharts {

    static final String FOLDER = "plots";
    static final int MAX_RUNS = 10;

    /** The plasticity columns drawn for each layer, in panel order. */
    static final List<String> PLASTICITY = List.of("hebbian_norm", "mask_density", "regrown", "scaling_mean",
            "activity_mean", "threshold_mean");

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int PANEL_WIDTH = 600;
    private static final int PANEL_HEIGHT = 380;

    /** A drawn chart: its file under the output folder, what it shows, and the PNG's bytes. */
    record Plot(Location file, String title, byte[] png) {
    }

    /** The folder the charts are written to. */
    private record ChartFolder(Storage storage, Location location) {
        ChartFile resolve(String name) {
            return new ChartFile(storage, location.resolve(name));
        }
    }

    private record ChartFile(Storage storage, Location location) {
    }

    private AnalysisCharts() {
    }

    static List<Plot> draw(SparkSession spark, AnalysisTables tables, Location out) {
        // Charts are painted off-screen: servers and cluster drivers have no display.
        System.setProperty("java.awt.headless", "true");
        ChartFolder folder = new ChartFolder(Storage.of(spark), out.resolve(FOLDER));
        Map<String, String> labels = bestRuns(tables);
        List<Plot> plots = new ArrayList<>();
        if (!labels.isEmpty()) {
            learningCurves(spark, labels, folder).ifPresent(plots::add);
            plots.addAll(plasticity(spark, labels, folder));
        }
        tables.parameterPoints().ifPresent(points -> plots.addAll(parameterEffects(points.collectAsList(), tables.metric(), folder)));
        ParetoChart.of(tables, WIDTH, HEIGHT).ifPresent(chart -> plots.add(
                save(List.of(chart), 1, 1, folder.resolve(ParetoChart.FILE), ParetoChart.title(tables))));
        tables.continual().ifPresent(continual -> plots.addAll(continual(spark, continual, folder)));
        return plots;
    }

    /**
     * The accuracy matrix and the per-task accuracy across the stream of the continual run with the highest
     * average accuracy, and every run's forgetting of each task against the turnover while later tasks trained.
     */
    private static List<Plot> continual(SparkSession spark, ContinualTables continual, ChartFolder folder) {
        List<Plot> plots = new ArrayList<>();
        List<Row> best = continual.metrics().orderBy(functions.col("average_accuracy").desc_nulls_last(), functions.col("run_id"))
                .select("run_id").limit(1).collectAsList();
        String run = best.get(0).getString(0);
        List<Row> cells = continual.accuracyMatrix().where(functions.col("run_id").equalTo(run))
                .orderBy("trained_task", "task").select("trained_task", "task", "test_accuracy").collectAsList();
        if (cells.stream().anyMatch(c -> !c.isNullAt(2))) {
            plots.add(accuracyMatrix(run, cells, folder));
            plots.add(taskAccuracy(spark, run, folder));
        }
        // Per step: the sum grows with the number of later tasks, which would confound it with the task's position.
        List<Row> points = continual.taskForgetting().where("forgetting IS NOT NULL AND later_turnover_per_step IS NOT NULL")
                .select("later_turnover_per_step", "forgetting").collectAsList();
        if (!points.isEmpty()) {
            String title = "Forgetting of each task against connection turnover while later tasks trained";
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                    .xAxisTitle("turnover per step during later tasks (connections pruned + regrown)").yAxisTitle("forgetting").build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setMarkerSize(8);
            chart.addSeries("tasks", column(points, 0), column(points, 1));
            plots.add(save(List.of(chart), 1, 1, folder.resolve("forgetting_vs_turnover.png"), title));
        }
        return plots;
    }

    private static Plot accuracyMatrix(String run, List<Row> cells, ChartFolder folder) {
        List<Integer> tasks = cells.stream().map(c -> c.getInt(1)).distinct().sorted().toList();
        // The first task trained on top, as the matrix is written.
        List<Integer> trained = new ArrayList<>(tasks);
        Collections.reverse(trained);
        List<Number[]> heat = new ArrayList<>();
        for (Row cell : cells) {
            if (!cell.isNullAt(2)) {
                heat.add(new Number[] {tasks.indexOf(cell.getInt(1)), trained.indexOf(cell.getInt(0)), cell.getDouble(2)});
            }
        }
        String title = "Accuracy matrix R, run " + run;
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("task evaluated").yAxisTitle("task trained").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(1);
        chart.addSeries("accuracy", tasks, trained, heat);
        return save(List.of(chart), 1, 1, folder.resolve("accuracy_matrix.png"), title);
    }

    private static Plot taskAccuracy(SparkSession spark, String run, ChartFolder folder) {
        List<Row> rows = spark.sql("""
                SELECT task, epoch, sum(accuracy * examples) / sum(examples) AS accuracy
                FROM analysis_evaluations
                WHERE split = 'test' AND accuracy IS NOT NULL AND run_id = %s
                GROUP BY task, epoch ORDER BY task, epoch""".formatted(AnalysisTables.stringLiteral(run))).collectAsList();
        String title = "Held-out accuracy of each task per epoch, run " + run;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle("held-out accuracy").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        Map<Integer, List<Row>> byTask = rows.stream().collect(Collectors.groupingBy(r -> r.getInt(0), LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<Integer, List<Row>> task : byTask.entrySet()) {
            chart.addSeries("task " + task.getKey(), column(task.getValue(), 1), column(task.getValue(), 2));
        }
        return save(List.of(chart), 1, 1, folder.resolve("task_accuracy.png"), title);
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

    private static Optional<Plot> learningCurves(SparkSession spark, Map<String, String> labels, ChartFolder folder) {
        List<Row> rows = spark.sql("SELECT run_id, epoch, test_loss FROM analysis_learning_curves WHERE "
                + inRuns(labels) + " AND test_loss IS NOT NULL ORDER BY run_id, epoch").collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String title = "Held-out loss per epoch" + (labels.size() == 1 ? "" : " (the " + labels.size() + " best-ranked runs)");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle("held-out loss").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        Map<String, List<Row>> byRun = rows.stream().collect(Collectors.groupingBy(r -> r.getString(0), LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, String> run : labels.entrySet()) {
            List<Row> curve = byRun.get(run.getKey());
            if (curve != null) {
                chart.addSeries(run.getValue(), column(curve, 1), column(curve, 2));
            }
        }
        return Optional.of(save(List.of(chart), 1, 1, folder.resolve("learning_curves.png"), title));
    }

    private static List<Plot> plasticity(SparkSession spark, Map<String, String> labels, ChartFolder folder) {
        List<Row> rows = spark.sql("SELECT run_id, layer, step, " + String.join(", ", PLASTICITY)
                + " FROM analysis_trajectories WHERE worker = 'avg' AND " + inRuns(labels) + " ORDER BY layer, run_id, step")
                .collectAsList();
        Map<Integer, List<Row>> byLayer = rows.stream().collect(Collectors.groupingBy(r -> r.getInt(1), LinkedHashMap::new, Collectors.toList()));
        List<Plot> plots = new ArrayList<>();
        for (Map.Entry<Integer, List<Row>> layer : byLayer.entrySet()) {
            List<XYChart> panels = new ArrayList<>();
            for (int m = 0; m < PLASTICITY.size(); m++) {
                XYChart panel = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                        .title(PLASTICITY.get(m)).xAxisTitle("step").yAxisTitle(PLASTICITY.get(m)).build();
                panel.getStyler().setLegendPosition(LegendPosition.OutsideS);
                panel.getStyler().setMarkerSize(0);
                int valueColumn = 3 + m;
                Map<String, List<Row>> byRun = layer.getValue().stream().filter(r -> !r.isNullAt(valueColumn))
                        .collect(Collectors.groupingBy(r -> r.getString(0), LinkedHashMap::new, Collectors.toList()));
                for (Map.Entry<String, String> run : labels.entrySet()) {
                    List<Row> series = byRun.get(run.getKey());
                    if (series != null) {
                        panel.addSeries(run.getValue(), column(series, 2), column(series, valueColumn));
                    }
                }
                if (!panel.getSeriesMap().isEmpty()) {
                    panels.add(panel);
                }
            }
            if (!panels.isEmpty()) {
                String title = "Plasticity of layer " + layer.getKey() + " (averaged network after each round)";
                // XChart fills a grid only when it is exactly full: two columns for an even count, else one.
                int columns = panels.size() % 2 == 0 ? 2 : 1;
                int gridRows = panels.size() / columns;
                plots.add(save(panels, gridRows, columns, folder.resolve("plasticity_layer_" + layer.getKey() + ".png"), title));
            }
        }
        return plots;
    }

    private static List<Plot> parameterEffects(List<Row> points, SweepMetric metric, ChartFolder folder) {
        Map<String, List<Row>> byParameter = points.stream()
                .collect(Collectors.groupingBy(r -> r.getString(1), LinkedHashMap::new, Collectors.toList()));
        List<Plot> plots = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Row>> parameter : byParameter.entrySet()) {
            String title = metric.name() + " against " + parameter.getKey();
            ChartFile file = folder.resolve("metric_vs_parameter_" + index++ + ".png");
            List<Row> rows = parameter.getValue();
            boolean numeric = rows.stream().noneMatch(r -> r.isNullAt(3));
            if (numeric) {
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
                plots.add(save(List.of(chart), 1, 1, file, title));
            } else {
                Map<String, List<Double>> byValue = rows.stream().collect(Collectors.groupingBy(r -> r.getString(2),
                        LinkedHashMap::new, Collectors.mapping(r -> r.getDouble(4), Collectors.toList())));
                CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title + " (mean, std)")
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
                plots.add(save(List.of(chart), 1, 1, file, title));
            }
        }
        return plots;
    }

    private static String inRuns(Map<String, String> labels) {
        return labels.keySet().stream().map(AnalysisTables::stringLiteral).collect(Collectors.joining(", ", "run_id IN (", ")"));
    }

    private static double[] column(List<Row> rows, int index) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Number) rows.get(i).get(index)).doubleValue();
        }
        return values;
    }

    private static <C extends Chart<?, ?>> Plot save(List<C> charts, int rows, int columns, ChartFile file, String title) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            BitmapEncoder.saveBitmap(charts, rows, columns, png, BitmapFormat.PNG);
            file.storage().writeCompletely(file.location(), png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.location(), e);
        }
        return new Plot(file.location(), title, png.toByteArray());
    }
}
