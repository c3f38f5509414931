package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The analysis of continual-learning runs: runs whose held-out evaluations name more than one task as the task
 * being trained ({@code trained_task}), and joint runs ({@code data.stream.joint}): one task trained, the last
 * of several evaluated, since a joint run is trained once on every task and recorded as the last task's. Only
 * the last row of its matrix is filled, so its average accuracy is the joint-training reference and its
 * backward transfer and forgetting are absent. The definitions are those of docs/SCHEMA.md section "analysis", "Continual learning".
 *
 * @param accuracyMatrix  one row per (run, task trained, task evaluated): the accuracy matrix R, on the test split and
 *                        (with {@code data.validation_fraction}) on the validation split
 * @param metrics         one row per run: average accuracy, backward transfer, average forgetting, on the test split
 *                        and on the validation split
 * @param taskForgetting  one row per (run, task): its forgetting beside the plasticity while later tasks trained
 * @param taskPlasticity  one row per (run, task trained, layer): the plasticity of the averaged network during the task
 */
public record ContinualTables(Dataset<Row> accuracyMatrix, Dataset<Row> metrics, Dataset<Row> taskForgetting,
                              Dataset<Row> taskPlasticity) {

    public static final String ACCURACY_MATRIX = "accuracy_matrix";
    public static final String CONTINUAL_METRICS = "continual_metrics";
    public static final String TASK_FORGETTING = "task_forgetting";
    public static final String TASK_PLASTICITY = "task_plasticity";

    private static final String TASKS = "continual_tasks";
    private static final String METRIC_VALUES = "continual_metric_values";
    private static final String FORGETTING_VALUES = "task_forgetting_values";

    private static final StructType METRIC_VALUES_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("tasks", DataTypes.IntegerType, false)
            .add("tasks_trained", DataTypes.IntegerType, false)
            .add("missing_cells", DataTypes.IntegerType, false)
            .add("average_accuracy", DataTypes.DoubleType, true)
            .add("backward_transfer", DataTypes.DoubleType, true)
            .add("average_forgetting", DataTypes.DoubleType, true)
            .add("validation_average_accuracy", DataTypes.DoubleType, true)
            .add("validation_backward_transfer", DataTypes.DoubleType, true)
            .add("validation_average_forgetting", DataTypes.DoubleType, true);

    private static final StructType FORGETTING_VALUES_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("task", DataTypes.IntegerType, false)
            .add("accuracy_after_training", DataTypes.DoubleType, true)
            .add("best_accuracy", DataTypes.DoubleType, true)
            .add("final_accuracy", DataTypes.DoubleType, true)
            .add("forgetting", DataTypes.DoubleType, true)
            .add("backward_transfer", DataTypes.DoubleType, true);

    /**
     * The continual tables over the registered {@code analysis_evaluations}, {@code analysis_trajectories} and
     * {@code analysis_runs} views, or nothing when no run trained more than one task.
     *
     * @throws InvalidInputException when a run trains its tasks out of order or interleaved
     */
    static Optional<ContinualTables> of(SparkSession spark) {
        Dataset<Row> tasks = AnalysisTables.view(spark, TASKS, """
                WITH test AS (SELECT * FROM analysis_evaluations WHERE split = 'test'),
                continual AS (
                  SELECT run_id FROM test GROUP BY run_id
                  HAVING count(DISTINCT trained_task) > 1
                      OR (count(DISTINCT trained_task) = 1 AND max(task) > 0 AND min(trained_task) = max(task))),
                tasks AS (
                  SELECT run_id, task FROM test WHERE run_id IN (SELECT run_id FROM continual)
                  UNION
                  SELECT run_id, trained_task FROM test WHERE trained_task IS NOT NULL AND run_id IN (SELECT run_id FROM continual)),
                trained AS (
                  SELECT run_id, trained_task AS task, min(epoch) AS first_epoch, max(epoch) AS last_epoch
                  FROM test WHERE trained_task IS NOT NULL GROUP BY run_id, trained_task),
                trials AS (SELECT run_id, first(trial_id, true) AS trial_id FROM test GROUP BY run_id)
                SELECT t.run_id, r.trial_id, t.task, d.first_epoch, d.last_epoch
                FROM tasks t JOIN trials r ON t.run_id = r.run_id
                LEFT JOIN trained d ON t.run_id = d.run_id AND t.task = d.task
                ORDER BY t.run_id, t.task""");
        List<Row> taskRows = tasks.collectAsList();
        if (taskRows.isEmpty()) {
            return Optional.empty();
        }
        checkStreamOrder(taskRows);
        Dataset<Row> matrix = AnalysisTables.view(spark, ACCURACY_MATRIX, """
                WITH cells AS (
                  SELECT e.run_id, e.trained_task, e.task, e.split,
                         sum(e.accuracy * e.examples) / sum(CASE WHEN e.accuracy IS NULL THEN NULL ELSE e.examples END) AS accuracy,
                         sum(e.loss * e.examples) / sum(e.examples) AS loss,
                         sum(e.examples) AS examples
                  FROM analysis_evaluations e
                  JOIN analysis_continual_tasks t ON e.run_id = t.run_id AND e.trained_task = t.task AND e.epoch = t.last_epoch
                  WHERE e.split IN ('test', 'validation')
                  GROUP BY e.run_id, e.trained_task, e.task, e.split)
                SELECT i.run_id, i.trial_id, i.task AS trained_task, j.task, i.last_epoch AS epoch,
                       c.accuracy AS test_accuracy, c.loss AS test_loss, c.examples,
                       v.accuracy AS validation_accuracy, v.loss AS validation_loss, v.examples AS validation_examples
                FROM analysis_continual_tasks i
                JOIN analysis_continual_tasks j ON i.run_id = j.run_id
                LEFT JOIN cells c ON c.run_id = i.run_id AND c.trained_task = i.task AND c.task = j.task AND c.split = 'test'
                LEFT JOIN cells v ON v.run_id = i.run_id AND v.trained_task = i.task AND v.task = j.task
                                 AND v.split = 'validation'
                ORDER BY i.run_id, trained_task, j.task""");
        List<Row> metricValues = new ArrayList<>();
        List<Row> forgettingValues = new ArrayList<>();
        byRun(matrix.select("run_id", "trained_task", "task", "epoch", "test_accuracy", "validation_accuracy").collectAsList())
                .forEach((run, cells) -> measure(run, cells, metricValues, forgettingValues));
        AnalysisTables.view(METRIC_VALUES, spark.createDataFrame(metricValues, METRIC_VALUES_SCHEMA));
        AnalysisTables.view(FORGETTING_VALUES, spark.createDataFrame(forgettingValues, FORGETTING_VALUES_SCHEMA));
        Dataset<Row> metrics = AnalysisTables.view(spark, CONTINUAL_METRICS, """
                SELECT m.run_id, t.trial_id, coalesce(r.status, 'unfinished') AS status, m.tasks, m.tasks_trained,
                       m.missing_cells, m.average_accuracy, m.backward_transfer, m.average_forgetting,
                       m.validation_average_accuracy, m.validation_backward_transfer, m.validation_average_forgetting
                FROM analysis_continual_metric_values m
                JOIN (SELECT run_id, first(trial_id, true) AS trial_id FROM analysis_continual_tasks GROUP BY run_id) t
                  ON m.run_id = t.run_id
                LEFT JOIN analysis_runs r ON m.run_id = r.run_id
                ORDER BY m.run_id""");
        Dataset<Row> plasticity = AnalysisTables.view(spark, TASK_PLASTICITY, """
                WITH averaged AS (
                  SELECT * FROM analysis_trajectories
                  WHERE worker = 'avg' AND run_id IN (SELECT run_id FROM analysis_continual_tasks)),
                per_task AS (
                  SELECT run_id, first(trial_id, true) AS trial_id, task, layer, CAST(count(*) AS INT) AS rounds,
                         max(step) AS last_step, sum(pruned + regrown) AS turnover, avg(scaling_mean) AS scaling_mean,
                         max_by(hebbian_norm, step) AS hebbian_norm, max_by(mask_density, step) AS mask_density,
                         max_by(weight_norm, step) AS weight_norm
                  FROM averaged GROUP BY run_id, task, layer),
                ordered AS (
                  SELECT *, last_step - coalesce(lag(last_step) OVER (PARTITION BY run_id, layer ORDER BY last_step), 0) AS steps,
                         weight_norm - lag(weight_norm) OVER (PARTITION BY run_id, layer ORDER BY last_step) AS weight_norm_change
                  FROM per_task)
                SELECT run_id, trial_id, task, layer, rounds, steps, last_step, turnover, turnover / steps AS turnover_per_step,
                       hebbian_norm, mask_density, scaling_mean, weight_norm, weight_norm_change
                FROM ordered
                ORDER BY run_id, task, layer""");
        Dataset<Row> forgetting = AnalysisTables.view(spark, TASK_FORGETTING, """
                WITH per_task AS (
                  SELECT run_id, task, max(steps) AS steps, sum(turnover) AS turnover, avg(hebbian_norm) AS hebbian_norm
                  FROM analysis_task_plasticity GROUP BY run_id, task),
                later AS (
                  SELECT f.run_id, f.task, CAST(count(*) AS INT) AS later_tasks, sum(p.steps) AS later_steps,
                         sum(p.turnover) AS later_turnover, avg(p.hebbian_norm) AS later_hebbian_norm
                  FROM analysis_task_forgetting_values f JOIN per_task p ON f.run_id = p.run_id AND p.task > f.task
                  GROUP BY f.run_id, f.task),
                stream_end AS (
                  SELECT p.* FROM analysis_task_plasticity p
                  JOIN (SELECT run_id, max(task) AS task FROM analysis_task_plasticity GROUP BY run_id) m
                    ON p.run_id = m.run_id AND p.task = m.task),
                weights AS (
                  SELECT f.run_id, f.task, avg(abs(e.weight_norm - s.weight_norm) / s.weight_norm) AS later_weight_norm_change
                  FROM analysis_task_forgetting_values f
                  JOIN analysis_task_plasticity s ON s.run_id = f.run_id AND s.task = f.task
                  JOIN stream_end e ON e.run_id = f.run_id AND e.layer = s.layer AND e.task > f.task
                  GROUP BY f.run_id, f.task)
                SELECT f.run_id, t.trial_id, f.task, f.accuracy_after_training, f.best_accuracy, f.final_accuracy,
                       f.forgetting, f.backward_transfer, l.later_tasks, l.later_steps, l.later_turnover,
                       l.later_turnover / l.later_steps AS later_turnover_per_step, l.later_hebbian_norm,
                       w.later_weight_norm_change
                FROM analysis_task_forgetting_values f
                JOIN analysis_continual_tasks t ON f.run_id = t.run_id AND f.task = t.task
                LEFT JOIN later l ON f.run_id = l.run_id AND f.task = l.task
                LEFT JOIN weights w ON f.run_id = w.run_id AND f.task = w.task
                ORDER BY f.run_id, f.task""");
        return Optional.of(new ContinualTables(matrix, metrics, forgetting, plasticity));
    }

    /** Tasks must be trained in increasing order, each over its own consecutive epochs, for R's rows to be the stream. */
    private static void checkStreamOrder(List<Row> tasks) {
        Row previous = null;
        for (Row task : tasks) {
            if (task.isNullAt(4)) {
                continue;
            }
            if (previous != null && previous.getString(0).equals(task.getString(0)) && previous.getInt(4) >= task.getInt(3)) {
                throw new InvalidInputException(ResultWriter.EVALUATIONS + "/: run " + task.getString(0) + " evaluates task "
                        + task.getInt(2) + " as trained at epochs " + task.getInt(3) + "-" + task.getInt(4) + " and task "
                        + previous.getInt(2) + " at epochs " + previous.getInt(3) + "-" + previous.getInt(4)
                        + "; expected tasks trained in increasing order, each over its own epochs");
            }
            previous = task;
        }
    }

    private static Map<String, List<Row>> byRun(List<Row> cells) {
        return cells.stream().collect(Collectors.groupingBy(r -> r.getString(0), LinkedHashMap::new, Collectors.toList()));
    }

    /** Cells arrive ordered by task trained, then task evaluated: row-major over the run's sorted task ids. */
    private static void measure(String run, List<Row> cells, List<Row> metricValues, List<Row> forgettingValues) {
        int tasks = (int) Math.round(Math.sqrt(cells.size()));
        double[][] r = new double[tasks][tasks];
        double[][] validation = new double[tasks][tasks];
        int[] ids = new int[tasks];
        int trained = 0;
        for (int i = 0; i < tasks; i++) {
            ids[i] = cells.get(i * tasks).getInt(1);
            trained += cells.get(i * tasks).isNullAt(3) ? 0 : 1;
            for (int j = 0; j < tasks; j++) {
                Row cell = cells.get(i * tasks + j);
                r[i][j] = cell.isNullAt(4) ? Double.NaN : cell.getDouble(4);
                validation[i][j] = cell.isNullAt(5) ? Double.NaN : cell.getDouble(5);
            }
        }
        AccuracyMatrix matrix = new AccuracyMatrix(r);
        // The same measures on the validation split, which settings are selected on (issue 19): never the test split.
        AccuracyMatrix validated = new AccuracyMatrix(validation);
        metricValues.add(RowFactory.create(run, tasks, trained, matrix.missingCells(), value(matrix.averageAccuracy()),
                value(matrix.backwardTransfer()), value(matrix.averageForgetting()), value(validated.averageAccuracy()),
                value(validated.backwardTransfer()), value(validated.averageForgetting())));
        for (int j = 0; j < tasks; j++) {
            forgettingValues.add(RowFactory.create(run, ids[j], value(matrix.cell(j, j)), value(matrix.bestEarlierAccuracy(j)),
                    value(matrix.cell(tasks - 1, j)), value(matrix.forgetting(j)), value(matrix.backwardTransfer(j))));
        }
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    /** The tables by file name, in the order the report shows them. */
    List<AnalysisTables.NamedTable> named() {
        return List.of(
                new AnalysisTables.NamedTable(CONTINUAL_METRICS, metrics),
                new AnalysisTables.NamedTable(TASK_FORGETTING, taskForgetting),
                new AnalysisTables.NamedTable(ACCURACY_MATRIX, accuracyMatrix),
                new AnalysisTables.NamedTable(TASK_PLASTICITY, taskPlasticity));
    }
}
