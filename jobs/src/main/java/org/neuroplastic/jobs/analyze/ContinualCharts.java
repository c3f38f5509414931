package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.neuroplastic.jobs.analyze.AnalysisCharts.HEIGHT;
import static org.neuroplastic.jobs.analyze.AnalysisCharts.WIDTH;
import static org.neuroplastic.jobs.analyze.AnalysisCharts.column;
import static org.neuroplastic.jobs.analyze.AnalysisCharts.save;

/**
 * The continual-learning charts: the accuracy matrix and the per-task accuracy across the stream of the run with
 * the highest average accuracy, and every run's forgetting of each task against the turnover while later tasks
 * trained.
 */
final class ContinualCharts {

    private ContinualCharts() {
    }

    static List<AnalysisCharts.Plot> draw(SparkSession spark, ContinualTables continual, AnalysisCharts.ChartFolder folder) {
        List<AnalysisCharts.Plot> plots = new ArrayList<>();
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
                .select("later_turnover_per_step", "forgetting", "run_id").collectAsList();
        if (!points.isEmpty()) {
            long runs = points.stream().map(r -> r.getString(2)).distinct().count();
            String title = FigureTitle.ofRuns("Forgetting of each task against connection turnover while later tasks trained",
                    points.size() + " tasks of " + runs + (runs == 1 ? " run" : " runs"));
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                    .xAxisTitle("turnover per step during later tasks (connections pruned + regrown)").yAxisTitle("forgetting").build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setMarkerSize(8);
            chart.addSeries("tasks", column(points, 0), column(points, 1));
            plots.add(save(List.of(chart), 1, 1, folder.resolve("forgetting_vs_turnover.png"), title, ""));
        }
        return plots;
    }

    private static AnalysisCharts.Plot accuracyMatrix(String run, List<Row> cells, AnalysisCharts.ChartFolder folder) {
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
        String title = FigureTitle.of("Accuracy matrix R", "run " + run, 1);
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("task evaluated").yAxisTitle("task trained").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        // Accuracy is in [0, 1] whatever the run reached: the same colour means the same accuracy in every report.
        SequentialScale.apply(chart.getStyler(), 0, 1);
        chart.addSeries("accuracy", tasks, trained, heat);
        return save(List.of(chart), 1, 1, folder.resolve("accuracy_matrix.png"), title,
                "Colour scale: pale at accuracy 0, darker with accuracy, darkest at 1; cells without an evaluation are blank.");
    }

    private static AnalysisCharts.Plot taskAccuracy(SparkSession spark, String run, AnalysisCharts.ChartFolder folder) {
        List<Row> rows = spark.sql("""
                SELECT task, epoch, sum(accuracy * examples) / sum(examples) AS accuracy
                FROM analysis_evaluations
                WHERE split = 'test' AND accuracy IS NOT NULL AND run_id = %s
                GROUP BY task, epoch ORDER BY task, epoch""".formatted(AnalysisTables.stringLiteral(run))).collectAsList();
        String title = FigureTitle.of("Held-out accuracy of each task per epoch", "run " + run, 1);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle("held-out accuracy").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        Map<Integer, List<Row>> byTask = rows.stream().collect(Collectors.groupingBy(r -> r.getInt(0), LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<Integer, List<Row>> task : byTask.entrySet()) {
            chart.addSeries("task " + task.getKey(), column(task.getValue(), 1), column(task.getValue(), 2));
        }
        String note = AnalysisCharts.mark(chart, AnalysisCharts.epochBoundaries(spark, List.of(run)), "epoch", List.of(), Map.of());
        return save(List.of(chart), 1, 1, folder.resolve("task_accuracy.png"), title, note);
    }
}
