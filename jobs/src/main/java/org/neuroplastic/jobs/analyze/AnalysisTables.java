package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The analysis as Spark SQL over the inputs' tables; the definitions are those of docs/SCHEMA.md section
 * "analysis".
 *
 * @param learningCurves       one row per (run, epoch): the held-out loss and accuracy
 * @param trialSummary         one row per run: final and best metric, area under the learning curve,
 *                             epochs to the fraction of the improvement, final plasticity
 * @param layerPlasticity      one row per (run, layer): the plasticity of the last averaged network
 * @param ranking              one row per trial (per run without a sweep), best first
 * @param hyperparameterEffect one row per (hyperparameter, value): the metric's mean and spread; only for a
 *                             sweep whose trials table names its parameters
 * @param parameterPoints      one row per (trial, hyperparameter): its value and the trial's metric
 * @param objectives           the sweep's metrics, the first ranking; several for a multi-objective sweep whose
 *                             trials table has {@code final_metrics}
 * @param continual            the accuracy matrix, forgetting and per-task plasticity; only when some run trained
 *                             more than one task
 */
public record AnalysisTables(Dataset<Row> learningCurves, Dataset<Row> trialSummary, Dataset<Row> layerPlasticity,
                             Dataset<Row> ranking, Optional<Dataset<Row>> hyperparameterEffect,
                             Optional<Dataset<Row>> parameterPoints, List<SweepMetric> objectives,
                             Optional<ContinualTables> continual) {

    public AnalysisTables {
        objectives = List.copyOf(objectives);
    }

    /** What the ranking orders by: the first of the objectives. */
    public SweepMetric metric() {
        return objectives.get(0);
    }

    /** Version of the tables' columns; docs/SCHEMA.md section "analysis" states it. */
    public static final int SCHEMA_VERSION = 8;

    public static final String LEARNING_CURVES = "learning_curves";
    public static final String TRIAL_SUMMARY = "trial_summary";
    public static final String LAYER_PLASTICITY = "layer_plasticity";
    public static final String RANKING = "ranking";
    public static final String HYPERPARAMETER_EFFECT = "hyperparameter_effect";

    /** Columns of a sweep's trials table that are not hyperparameters. */
    static final Set<String> TRIAL_COLUMNS = Set.of("sweep_id", "trial_id", "setting", "replica", "parameters",
            "parameters_json", "seed", "data_seed", "run_id", "status", "error", "epochs_completed", "metric", "goal",
            "final_metric", "best_metric", "best_epoch", "final_metrics", "executor_id", "started_at", "ended_at", "schema_version");

    /** The columns that may hold a trial's hyperparameters as one JSON object, in order of preference. */
    private static final List<String> PARAMETER_JSON = List.of("parameters_json", "parameters");

    private static final String PREFIX = "analysis_";

    /**
     * Registers the inputs as temporary views and derives every table from them.
     *
     * @param configured the sweep's metric from its configuration, if the folder holds one
     */
    public static AnalysisTables of(SparkSession spark, AnalysisInputs inputs, Optional<SweepMetric> configured,
                                    double fraction) {
        return of(spark, inputs, configured.map(List::of).orElse(List.of()), fraction);
    }

    /**
     * Registers the inputs as temporary views and derives every table from them.
     *
     * @param configured the sweep's metrics from its configuration, first ranking; empty without one
     */
    public static AnalysisTables of(SparkSession spark, AnalysisInputs inputs, List<SweepMetric> configured,
                                    double fraction) {
        inputs.trajectories().createOrReplaceTempView(PREFIX + "trajectories");
        inputs.evaluations().createOrReplaceTempView(PREFIX + "evaluations");
        inputs.runs().createOrReplaceTempView(PREFIX + "runs");
        Dataset<Row> learningCurves = learningCurves(spark);
        Dataset<Row> layerPlasticity = layerPlasticity(spark);
        Dataset<Row> trialSummary = trialSummary(spark, fraction);
        Optional<ContinualTables> continual = ContinualTables.of(spark);
        if (inputs.trials().isEmpty()) {
            return new AnalysisTables(learningCurves, trialSummary, layerPlasticity, rankingOfRuns(spark), Optional.empty(),
                    Optional.empty(), List.of(SweepMetric.HELD_OUT_LOSS), continual);
        }
        Dataset<Row> trials = inputs.trials().get();
        trials.createOrReplaceTempView(PREFIX + "trials");
        List<String> columns = Arrays.asList(trials.columns());
        if (!columns.contains("trial_id") || !columns.contains("final_metric")) {
            throw new InvalidInputException(AnalysisInputs.TRIALS + "/: a trials table needs the columns trial_id and "
                    + "final_metric, found " + columns);
        }
        List<SweepMetric> objectives = configured.isEmpty() ? List.of(metricOfTrials(trials, columns))
                : columns.contains("final_metrics") ? configured : configured.subList(0, 1);
        Dataset<Row> ranking = TrialRanking.of(spark, columns, objectives);
        Optional<String> parameters = parameterMap(columns);
        if (parameters.isEmpty()) {
            return new AnalysisTables(learningCurves, trialSummary, layerPlasticity, ranking, Optional.empty(),
                    Optional.empty(), objectives, continual);
        }
        Dataset<Row> points = parameterPoints(spark, parameters.get(), columns.contains("status"));
        return new AnalysisTables(learningCurves, trialSummary, layerPlasticity, ranking,
                Optional.of(hyperparameterEffect(spark)), Optional.of(points), objectives, continual);
    }

    private static Dataset<Row> learningCurves(SparkSession spark) {
        return view(spark, LEARNING_CURVES, """
                SELECT run_id, first(trial_id, true) AS trial_id, epoch,
                       sum(loss * examples) / sum(examples) AS test_loss,
                       sum(accuracy * examples) / sum(CASE WHEN accuracy IS NULL THEN NULL ELSE examples END) AS test_accuracy,
                       sum(examples) AS examples
                FROM analysis_evaluations
                WHERE split = 'test'
                GROUP BY run_id, epoch
                ORDER BY run_id, epoch""");
    }

    private static Dataset<Row> layerPlasticity(SparkSession spark) {
        return view(spark, LAYER_PLASTICITY, """
                WITH averaged AS (SELECT * FROM analysis_trajectories WHERE worker = 'avg'),
                last_step AS (SELECT run_id, max(step) AS step FROM averaged GROUP BY run_id),
                turnover AS (SELECT run_id, layer, sum(pruned + regrown) AS turnover FROM averaged GROUP BY run_id, layer)
                SELECT a.run_id, a.trial_id, a.layer, a.epoch, a.step, a.hebbian_norm, a.mask_density, t.turnover,
                       abs(a.scaling_mean - 1) AS scaling_drift, a.scaling_mean, a.activity_mean, a.weight_norm
                FROM averaged a
                JOIN last_step l ON a.run_id = l.run_id AND a.step = l.step
                JOIN turnover t ON a.run_id = t.run_id AND a.layer = t.layer
                ORDER BY a.run_id, a.layer""");
    }

    private static Dataset<Row> trialSummary(SparkSession spark, double fraction) {
        return view(spark, TRIAL_SUMMARY, """
                WITH base AS (
                  SELECT run_id, first(trial_id, true) AS trial_id
                  FROM (SELECT run_id, trial_id FROM analysis_runs UNION ALL SELECT run_id, trial_id FROM analysis_evaluations)
                  GROUP BY run_id),
                curve AS (
                  SELECT run_id, epoch, test_loss, test_accuracy,
                         lag(epoch) OVER (PARTITION BY run_id ORDER BY epoch) AS previous_epoch,
                         lag(test_loss) OVER (PARTITION BY run_id ORDER BY epoch) AS previous_loss
                  FROM analysis_learning_curves),
                per_run AS (
                  SELECT run_id, CAST(count(*) AS INT) AS epochs_evaluated, min(epoch) AS first_epoch, max(epoch) AS last_epoch,
                         min_by(test_loss, epoch) AS first_test_loss,
                         max_by(test_loss, epoch) AS final_test_loss,
                         min(test_loss) AS best_test_loss,
                         min(struct(test_loss, epoch)).epoch AS best_epoch,
                         max_by(test_accuracy, epoch) AS final_test_accuracy,
                         max(test_accuracy) AS best_test_accuracy,
                         coalesce(sum((epoch - previous_epoch) * (test_loss + previous_loss) / 2), CAST(0 AS DOUBLE)) AS test_loss_auc
                  FROM curve GROUP BY run_id),
                converged AS (
                  SELECT c.run_id, min(c.epoch) AS epochs_to_fraction
                  FROM curve c JOIN per_run p ON c.run_id = p.run_id
                  WHERE p.first_test_loss - c.test_loss >= %1$s * (p.first_test_loss - p.best_test_loss)
                  GROUP BY c.run_id),
                run_plasticity AS (
                  SELECT run_id, avg(hebbian_norm) AS hebbian_norm, sum(turnover) AS turnover,
                         avg(scaling_drift) AS scaling_drift, avg(activity_mean) AS activity_mean
                  FROM analysis_layer_plasticity GROUP BY run_id)
                SELECT b.run_id, b.trial_id, coalesce(r.status, 'unfinished') AS status, r.seed,
                       coalesce(p.epochs_evaluated, 0) AS epochs_evaluated,
                       p.final_test_loss, p.best_test_loss, p.best_epoch, p.final_test_accuracy, p.best_test_accuracy,
                       p.test_loss_auc, p.test_loss_auc / nullif(p.last_epoch - p.first_epoch, 0) AS test_loss_auc_per_epoch,
                       %1$s AS fraction, c.epochs_to_fraction,
                       q.hebbian_norm, q.turnover, q.scaling_drift, q.activity_mean
                FROM base b
                LEFT JOIN analysis_runs r ON b.run_id = r.run_id
                LEFT JOIN per_run p ON b.run_id = p.run_id
                LEFT JOIN converged c ON b.run_id = c.run_id
                LEFT JOIN run_plasticity q ON b.run_id = q.run_id
                ORDER BY b.run_id""".formatted(doubleLiteral(fraction)));
    }

    /** Without a sweep every run is its own trial, ranked by final held-out loss. */
    private static Dataset<Row> rankingOfRuns(SparkSession spark) {
        return view(spark, RANKING, """
                SELECT CASE WHEN final_test_loss IS NULL THEN NULL
                            ELSE row_number() OVER (ORDER BY final_test_loss IS NULL, final_test_loss, run_id) END AS rank,
                       coalesce(trial_id, run_id) AS trial_id, run_id, status,
                       %s AS metric, %s AS goal,
                       final_test_loss AS final_metric, best_test_loss AS best_metric,
                       epochs_evaluated AS epochs_completed, CAST(NULL AS STRING) AS parameters_json,
                       coalesce(final_test_loss = min(final_test_loss) OVER (), false) AS pareto_optimal
                FROM analysis_trial_summary
                ORDER BY final_test_loss IS NULL, final_test_loss, run_id"""
                .formatted(stringLiteral(SweepMetric.HELD_OUT_LOSS.name()), stringLiteral(SweepMetric.HELD_OUT_LOSS.goal().toString())));
    }

    /** The sweep's metric named in its trials table (goal by name), when its configuration is not beside it. */
    private static SweepMetric metricOfTrials(Dataset<Row> trials, List<String> columns) {
        if (!columns.contains("metric")) {
            return SweepMetric.HELD_OUT_LOSS;
        }
        List<Row> names = trials.where("metric IS NOT NULL").select("metric").limit(1).collectAsList();
        return names.isEmpty() ? SweepMetric.HELD_OUT_LOSS : SweepMetric.named(names.get(0).getString(0));
    }

    private static Dataset<Row> parameterPoints(SparkSession spark, String parameters, boolean hasStatus) {
        String status = hasStatus ? "AND coalesce(status, '') <> 'failed'" : "";
        return view(spark, "parameter_points", """
                SELECT trial_id, parameter, value, CAST(value AS DOUBLE) AS value_numeric, final_metric
                FROM (SELECT CAST(trial_id AS STRING) AS trial_id, CAST(final_metric AS DOUBLE) AS final_metric,
                             %s AS parameters
                      FROM analysis_trials WHERE final_metric IS NOT NULL %s)
                LATERAL VIEW explode(parameters) e AS parameter, value
                ORDER BY parameter, value_numeric, value, trial_id""".formatted(parameters, status));
    }

    private static Dataset<Row> hyperparameterEffect(SparkSession spark) {
        return view(spark, HYPERPARAMETER_EFFECT, """
                SELECT parameter, value, first(value_numeric) AS value_numeric, count(*) AS trials,
                       avg(final_metric) AS metric_mean, stddev_samp(final_metric) AS metric_std,
                       min(final_metric) AS metric_min, max(final_metric) AS metric_max
                FROM analysis_parameter_points
                GROUP BY parameter, value
                ORDER BY parameter, value_numeric, value""");
    }

    /** Every table written as Parquet and CSV, by name, in the order the report shows them. */
    public List<NamedTable> named() {
        List<NamedTable> tables = new ArrayList<>();
        tables.add(new NamedTable(RANKING, ranking));
        hyperparameterEffect.ifPresent(e -> tables.add(new NamedTable(HYPERPARAMETER_EFFECT, e)));
        continual.ifPresent(c -> tables.addAll(c.named()));
        tables.add(new NamedTable(TRIAL_SUMMARY, trialSummary));
        tables.add(new NamedTable(LAYER_PLASTICITY, layerPlasticity));
        tables.add(new NamedTable(LEARNING_CURVES, learningCurves));
        return tables;
    }

    /** A result table and the name of its files. */
    public record NamedTable(String name, Dataset<Row> rows) {
    }

    /**
     * The trial's hyperparameters as a map expression: the sweep's JSON object of them, or else every column
     * that is not one of the trials table's own.
     */
    static Optional<String> parameterMap(List<String> columns) {
        Optional<String> json = parameterJson(columns);
        if (json.isPresent()) {
            return Optional.of("from_json(`" + json.get() + "`, 'MAP<STRING, STRING>')");
        }
        List<String> parameterColumns = columns.stream()
                .filter(c -> !TRIAL_COLUMNS.contains(c) && !c.startsWith("wall"))
                .toList();
        if (parameterColumns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parameterColumns.stream()
                .map(c -> stringLiteral(c) + ", CAST(`" + c.replace("`", "``") + "` AS STRING)")
                .collect(Collectors.joining(", ", "map(", ")")));
    }

    static Optional<String> parameterJson(List<String> columns) {
        return PARAMETER_JSON.stream().filter(columns::contains).findFirst();
    }

    static Dataset<Row> view(SparkSession spark, String name, String sql) {
        return view(name, spark.sql(sql));
    }

    static Dataset<Row> view(String name, Dataset<Row> rows) {
        // Materialised once: every table is read again for its files, the charts and the report. A local
        // checkpoint rather than cache(): Spark 3.5 fails to canonicalise cached plans built on cached views
        // ("key not found: run_id#..").
        Dataset<Row> table = rows.localCheckpoint();
        table.createOrReplaceTempView(PREFIX + name);
        return table;
    }

    private static String doubleLiteral(double value) {
        return "CAST('" + value + "' AS DOUBLE)";
    }

    static String stringLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
