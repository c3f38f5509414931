package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code ranking} table of a sweep: its trials, the Pareto-optimal ones first (by every objective of a
 * multi-objective sweep; with one metric, the trials sharing its best value), each group ordered by the first
 * metric; trials without a final value last and unranked.
 */
final class TrialRanking {

    private TrialRanking() {
    }

    /** The column holding a trial's final value of {@code metric} when the sweep has several. */
    static String column(SweepMetric metric) {
        return "final_" + metric.name().replaceAll("[^A-Za-z0-9_]", "_");
    }

    /**
     * @param columns    the trials table's columns
     * @param objectives the sweep's metrics, first ranking; more than one only when the table has {@code final_metrics}
     */
    static Dataset<Row> of(SparkSession spark, List<String> columns, List<SweepMetric> objectives) {
        SweepMetric first = objectives.get(0);
        boolean several = objectives.size() > 1;
        String finals = several ? objectives.stream()
                .map(m -> ", CAST(t.final_metrics[" + AnalysisTables.stringLiteral(m.name()) + "] AS DOUBLE) AS `"
                        + column(m) + "`")
                .collect(Collectors.joining()) : "";
        Dataset<Row> candidates = AnalysisTables.view(spark, "ranking_candidates", """
                WITH latest AS (
                  SELECT trial_id, max_by(run_id, started_at) AS run_id
                  FROM analysis_runs WHERE trial_id IS NOT NULL GROUP BY trial_id)
                SELECT CAST(t.trial_id AS STRING) AS trial_id, coalesce(%s, l.run_id) AS run_id, %s AS status,
                       %s AS metric, CAST(t.final_metric AS DOUBLE) AS final_metric, %s AS best_metric,
                       %s AS epochs_completed, %s AS parameters_json%s
                FROM analysis_trials t LEFT JOIN latest l ON CAST(t.trial_id AS STRING) = l.trial_id""".formatted(
                optional(columns, "run_id", "CAST(t.run_id AS STRING)", "STRING"),
                optional(columns, "status", "CAST(t.status AS STRING)", "STRING"),
                optional(columns, "metric", "CAST(t.metric AS STRING)", "STRING"),
                optional(columns, "best_metric", "CAST(t.best_metric AS DOUBLE)", "DOUBLE"),
                optional(columns, "epochs_completed", "CAST(t.epochs_completed AS INT)", "INT"),
                AnalysisTables.parameterJson(columns).map(c -> "CAST(t.`" + c + "` AS STRING)").orElse("CAST(NULL AS STRING)"),
                finals));
        List<String> valueColumns = several ? objectives.stream().map(TrialRanking::column).toList() : List.of("final_metric");
        Set<String> front = ParetoFront.optimal(points(candidates, valueColumns),
                objectives.stream().map(SweepMetric::goal).toList());
        StructType schema = new StructType().add("trial_id", DataTypes.StringType, false);
        spark.createDataFrame(front.stream().map(id -> RowFactory.create(id)).toList(), schema)
                .createOrReplaceTempView("analysis_pareto_front");
        String order = "final_metric IS NULL, pareto_optimal DESC, final_metric " + first.goal().sqlOrder() + ", trial_id";
        String extra = several ? valueColumns.stream().map(c -> ", `" + c + "`").collect(Collectors.joining()) : "";
        return AnalysisTables.view(spark, AnalysisTables.RANKING, """
                SELECT CASE WHEN final_metric IS NULL THEN NULL ELSE row_number() OVER (ORDER BY %1$s) END AS rank,
                       trial_id, run_id, status, coalesce(metric, %2$s) AS metric, %3$s AS goal, final_metric, best_metric,
                       epochs_completed, parameters_json, pareto_optimal%4$s
                FROM (SELECT c.*, p.trial_id IS NOT NULL AS pareto_optimal
                      FROM analysis_ranking_candidates c LEFT JOIN analysis_pareto_front p ON c.trial_id = p.trial_id)
                ORDER BY %1$s""".formatted(order, AnalysisTables.stringLiteral(first.name()),
                AnalysisTables.stringLiteral(first.goal().toString()), extra));
    }

    /** Each trial with a finite value of every objective, by id. */
    private static Map<String, double[]> points(Dataset<Row> candidates, List<String> valueColumns) {
        Map<String, double[]> points = new LinkedHashMap<>();
        for (Row row : candidates.selectExpr(prepend("trial_id", valueColumns)).collectAsList()) {
            double[] values = new double[valueColumns.size()];
            boolean finite = true;
            for (int i = 0; i < values.length; i++) {
                finite &= !row.isNullAt(i + 1) && Double.isFinite(row.getDouble(i + 1));
                values[i] = finite ? row.getDouble(i + 1) : Double.NaN;
            }
            if (finite) {
                points.put(row.getString(0), values);
            }
        }
        return points;
    }

    private static String[] prepend(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream().map(c -> "`" + c + "`"))
                .toArray(String[]::new);
    }

    private static String optional(List<String> columns, String column, String expression, String type) {
        return columns.contains(column) ? expression : "CAST(NULL AS " + type + ")";
    }
}
