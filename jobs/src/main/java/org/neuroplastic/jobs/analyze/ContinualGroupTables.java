package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.config.InvalidInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A continual-learning study's tables ({@code analyze --groups FILE} over runs of offline streams): each group's
 * average accuracy, backward transfer and average forgetting (the {@code continual_metrics} columns, docs/SCHEMA.md
 * "Continual learning") over its replicas, each comparison of the groups file paired by replica, and each group's
 * final accuracy on every task (the accuracy matrix's last row), for the chart. docs/SCHEMA.md section "analysis",
 * "Continual studies", defines them.
 *
 * @param summary           one row per (group, measure)
 * @param pairedDifferences one row per (group, baseline, measure); empty when the groups name no comparison
 * @param taskStatistics    one row per (group, task): the final accuracy on the task
 * @param finalAccuracy     the same as computed, for the chart
 */
record ContinualGroupTables(Dataset<Row> summary, Optional<Dataset<Row>> pairedDifferences, Dataset<Row> taskStatistics,
                            List<TaskStatistic> finalAccuracy) {

    public static final String SUMMARY = "continual_summary";
    public static final String PAIRED_DIFFERENCES = "continual_paired_differences";
    public static final String TASK_STATISTICS = "continual_task_statistics";

    /** The per-run measures, named as the {@code continual_metrics} columns they come from. */
    static final List<String> MEASURES = List.of("average_accuracy", "backward_transfer", "average_forgetting");

    static final StructType SUMMARY_SCHEMA = IntervalTable.summarySchema(new StructType()
            .add("group", DataTypes.StringType, false)
            .add("measure", DataTypes.StringType, false));
    static final StructType PAIRED_DIFFERENCES_SCHEMA = IntervalTable.differenceSchema(new StructType()
            .add("group", DataTypes.StringType, false)
            .add("baseline", DataTypes.StringType, false)
            .add("measure", DataTypes.StringType, false));
    static final StructType TASK_STATISTICS_SCHEMA = IntervalTable.summarySchema(new StructType()
            .add("group", DataTypes.StringType, false)
            .add("task", DataTypes.IntegerType, false));

    /** One group's final accuracy on one task over its replicas. */
    record TaskStatistic(String group, int task, MeanInterval value) {
    }

    /**
     * The tables over the registered {@code continual_metrics} and {@code task_forgetting} views; nothing when no
     * run of {@code --in} trained a stream.
     *
     * @throws InvalidInputException when the groups file names a run with no continual metrics, or a run with
     *                               continual metrics is not named
     */
    static Optional<ContinualGroupTables> of(SparkSession spark, StudyGroups groups, Optional<ContinualTables> continual) {
        if (continual.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<String, Double>> measured = new LinkedHashMap<>();
        for (Row row : continual.get().metrics().select("run_id", MEASURES.toArray(String[]::new)).collectAsList()) {
            Map<String, Double> values = new HashMap<>();
            for (int i = 0; i < MEASURES.size(); i++) {
                if (!row.isNullAt(i + 1)) {
                    values.put(MEASURES.get(i), row.getDouble(i + 1));
                }
            }
            measured.put(row.getString(0), values);
        }
        List<String> unnamed = measured.keySet().stream().filter(r -> !groups.members().containsKey(r)).sorted().toList();
        if (!unnamed.isEmpty()) {
            throw new InvalidInputException("--groups " + groups.file() + " names no group for the runs "
                    + String.join(", ", unnamed) + "; expected every run of --in in it");
        }
        Map<String, Map<Integer, Double>> finals = new HashMap<>();
        continual.get().taskForgetting().select("run_id", "task", "final_accuracy").collectAsList().forEach(r -> {
            if (!r.isNullAt(2)) {
                finals.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), r.getDouble(2));
            }
        });
        List<GroupStatistics.Measured> runs = new ArrayList<>();
        Map<String, Map<Integer, List<Double>>> byTask = new LinkedHashMap<>();
        groups.members().forEach((run, member) -> {
            Map<String, Double> values = measured.get(run);
            if (values == null) {
                throw new InvalidInputException("--groups " + groups.file() + " names run " + run
                        + ", which has no row of " + ContinualTables.CONTINUAL_METRICS + " (no stream) in --in");
            }
            runs.add(new GroupStatistics.Measured(member.group(), member.replica(), values));
            Map<Integer, List<Double>> tasks = byTask.computeIfAbsent(member.group(), g -> new TreeMap<>());
            finals.getOrDefault(run, Map.of()).forEach((task, value) -> tasks.computeIfAbsent(task, t -> new ArrayList<>()).add(value));
        });
        List<TaskStatistic> statistics = new ArrayList<>();
        byTask.forEach((group, tasks) -> tasks.forEach((task, values) ->
                statistics.add(new TaskStatistic(group, task, GroupStatistics.interval(values)))));
        Dataset<Row> summary = AnalysisTables.view(SUMMARY, spark.createDataFrame(GroupStatistics.summaries(runs, MEASURES)
                .stream().map(s -> IntervalTable.summaryRow(s.value(), s.group(), s.measure())).toList(), SUMMARY_SCHEMA));
        List<StudyGroups.Comparison> comparisons = groups.comparisons();
        Optional<Dataset<Row>> differences = comparisons.isEmpty() ? Optional.empty()
                : Optional.of(AnalysisTables.view(PAIRED_DIFFERENCES, spark.createDataFrame(
                        GroupStatistics.differences(runs, comparisons, MEASURES).stream().map(d -> IntervalTable.differenceRow(
                                d.value(), d.unpaired(), d.group(), d.baseline(), d.measure())).toList(),
                        PAIRED_DIFFERENCES_SCHEMA)));
        Dataset<Row> taskTable = AnalysisTables.view(TASK_STATISTICS, spark.createDataFrame(statistics.stream()
                .map(s -> IntervalTable.summaryRow(s.value(), s.group(), s.task())).toList(), TASK_STATISTICS_SCHEMA));
        return Optional.of(new ContinualGroupTables(summary, differences, taskTable, List.copyOf(statistics)));
    }

    /** The tables by file name, in the order the report shows them. */
    List<AnalysisTables.NamedTable> named() {
        List<AnalysisTables.NamedTable> named = new ArrayList<>();
        named.add(new AnalysisTables.NamedTable(SUMMARY, summary));
        pairedDifferences.ifPresent(d -> named.add(new AnalysisTables.NamedTable(PAIRED_DIFFERENCES, d)));
        named.add(new AnalysisTables.NamedTable(TASK_STATISTICS, taskStatistics));
        return named;
    }
}
