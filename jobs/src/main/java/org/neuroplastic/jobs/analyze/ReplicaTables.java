package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The statistics over a sweep's replicas: per setting and metric the mean and 95% t interval
 * ({@code replica_statistics}), and with a baseline the paired differences of every setting from it
 * ({@code paired_differences}). docs/SCHEMA.md section "analysis" defines both. Computed on the driver from one
 * row per trial: a sweep has hundreds of trials, not millions.
 *
 * @param sweep              the trials grouped into settings
 * @param replicaStatistics  one row per (setting, metric) with a value
 * @param pairedDifferences  one row per (setting, metric) with a baseline pair; only with {@code --baseline}
 */
record ReplicaTables(SweepSettings sweep, Dataset<Row> replicaStatistics, Optional<Dataset<Row>> pairedDifferences) {

    public static final String REPLICA_STATISTICS = "replica_statistics";
    public static final String PAIRED_DIFFERENCES = "paired_differences";

    static final StructType REPLICA_STATISTICS_SCHEMA = IntervalTable.summarySchema(new StructType()
            .add("setting", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false));

    static final StructType PAIRED_DIFFERENCES_SCHEMA = IntervalTable.differenceSchema(new StructType()
            .add("setting", DataTypes.StringType, false)
            .add("baseline", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false));

    /**
     * The tables of a sweep's folder; nothing without a trials table, where there are no settings to group by.
     *
     * @throws InvalidInputException when a baseline is given without a trials table, or matches no trial
     */
    static Optional<ReplicaTables> of(SparkSession spark, AnalysisInputs inputs, AnalysisTables tables,
                                      Optional<Baseline> baseline) {
        if (inputs.trials().isEmpty()) {
            baseline.ifPresent(b -> {
                throw new InvalidInputException("--baseline " + b + " needs a sweep's folder, with " + AnalysisInputs.TRIALS
                        + "/ naming each trial's setting and seed; found a train run's");
            });
            return Optional.empty();
        }
        SweepSettings sweep = SweepSettings.of(spark, tables, Arrays.asList(inputs.trials().get().columns()));
        // Checked before any table is made, so a refused baseline costs no Spark job.
        Optional<List<PairedDifferences.Comparison>> comparisons = baseline.map(b -> PairedDifferences.of(sweep, b));
        Dataset<Row> statistics = AnalysisTables.view(REPLICA_STATISTICS,
                spark.createDataFrame(statisticsRows(sweep), REPLICA_STATISTICS_SCHEMA));
        Optional<Dataset<Row>> differences = comparisons.map(c -> AnalysisTables.view(PAIRED_DIFFERENCES,
                spark.createDataFrame(differenceRows(c), PAIRED_DIFFERENCES_SCHEMA)));
        return Optional.of(new ReplicaTables(sweep, statistics, differences));
    }

    /** Each setting's replicas that have a metric, summarised; a metric no replica has (accuracy of a regression) is left out. */
    static List<Row> statisticsRows(SweepSettings sweep) {
        List<Row> rows = new ArrayList<>();
        for (SweepSettings.Setting setting : sweep.settings()) {
            for (String metric : SweepSettings.METRICS) {
                double[] values = setting.replicas().stream().map(r -> r.metrics().get(metric)).filter(Objects::nonNull)
                        .mapToDouble(Double::doubleValue).toArray();
                if (values.length > 0) {
                    rows.add(IntervalTable.summaryRow(MeanInterval.of(values), setting.description(), metric));
                }
            }
        }
        return rows;
    }

    private static List<Row> differenceRows(List<PairedDifferences.Comparison> comparisons) {
        List<Row> rows = new ArrayList<>();
        for (PairedDifferences.Comparison c : comparisons) {
            rows.add(IntervalTable.differenceRow(c.difference(), c.unpaired(), c.setting(), c.baseline(), c.metric()));
        }
        return rows;
    }

    /** The tables by file name, in the order the report shows them. */
    List<AnalysisTables.NamedTable> named() {
        List<AnalysisTables.NamedTable> named = new ArrayList<>();
        pairedDifferences.ifPresent(d -> named.add(new AnalysisTables.NamedTable(PAIRED_DIFFERENCES, d)));
        named.add(new AnalysisTables.NamedTable(REPLICA_STATISTICS, replicaStatistics));
        return named;
    }
}
