package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ResultWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tables of a loss-of-plasticity study ({@code analyze --groups FILE}), from the online evaluations and the
 * trajectories' diagnostics of runs the groups file names; {@link OnlineStudy} computes them and docs/SCHEMA.md
 * section "analysis", "Online studies", defines them.
 *
 * @param taskStatistics    per (group, series, task): online accuracy, dead fraction, effective rank, for the charts
 * @param taskTable         the same as a table
 * @param summary           one row per (group, measure): first and last block, drop, final dead fraction and rank
 * @param pairedDifferences one row per (group, baseline, measure); only when the groups name comparisons
 */
record OnlineTables(List<OnlineStudy.TaskStatistic> taskStatistics, Dataset<Row> taskTable,
                    Dataset<Row> summary, Optional<Dataset<Row>> pairedDifferences) {

    public static final String TASK_STATISTICS = "online_task_statistics";
    public static final String SUMMARY = "online_summary";
    public static final String PAIRED_DIFFERENCES = "online_paired_differences";

    static final StructType TASK_STATISTICS_SCHEMA = IntervalTable.summarySchema(new StructType()
            .add("group", DataTypes.StringType, false)
            .add("series", DataTypes.StringType, false)
            .add("task", DataTypes.IntegerType, false));

    static final StructType SUMMARY_SCHEMA = IntervalTable.summarySchema(new StructType()
            .add("group", DataTypes.StringType, false)
            .add("measure", DataTypes.StringType, false)
            .add("block_tasks", DataTypes.IntegerType, false));

    static final StructType PAIRED_DIFFERENCES_SCHEMA = IntervalTable.differenceSchema(new StructType()
            .add("group", DataTypes.StringType, false)
            .add("baseline", DataTypes.StringType, false)
            .add("measure", DataTypes.StringType, false));

    /**
     * The study's tables over the registered {@code analysis_evaluations} and {@code analysis_trajectories} views;
     * nothing when no run of {@code --in} has online evaluations.
     *
     * @throws InvalidInputException when a named run has no online evaluations, a run with online evaluations is
     *                               not named, or the runs' streams differ in length or skip a task
     */
    static Optional<OnlineTables> of(SparkSession spark, StudyGroups groups) {
        Map<String, List<Row>> accuracy = byRun(spark.sql("""
                SELECT run_id, task, sum(accuracy * examples) / sum(examples) AS accuracy
                FROM analysis_evaluations WHERE split = 'online' AND accuracy IS NOT NULL
                GROUP BY run_id, task ORDER BY run_id, task""").collectAsList());
        if (accuracy.isEmpty()) {
            return Optional.empty();
        }
        // The first hidden layer's readings, averaged over the workers that read them at one step; the last
        // step of each task stands for the task, as Dohare et al. plot the diagnostics at the end of each task.
        Map<String, List<Row>> diagnostics = byRun(spark.sql("""
                WITH readings AS (
                  SELECT run_id, task, step, avg(dead_fraction) AS dead_fraction, avg(effective_rank) AS effective_rank
                  FROM analysis_trajectories
                  WHERE worker <> 'avg' AND layer = 0 AND dead_fraction IS NOT NULL
                  GROUP BY run_id, task, step)
                SELECT run_id, task, max_by(dead_fraction, step), max_by(effective_rank, step)
                FROM readings GROUP BY run_id, task ORDER BY run_id, task""").collectAsList());
        List<String> unnamed = accuracy.keySet().stream().filter(r -> !groups.members().containsKey(r)).sorted().toList();
        if (!unnamed.isEmpty()) {
            throw new InvalidInputException("--groups " + groups.file() + " names no group for the online runs "
                    + String.join(", ", unnamed) + "; expected every run of --in in it");
        }
        List<OnlineStudy.Run> runs = new ArrayList<>();
        Integer tasks = null;
        for (Map.Entry<String, StudyGroups.Member> member : groups.members().entrySet()) {
            String run = member.getKey();
            List<Row> rows = accuracy.get(run);
            if (rows == null) {
                throw new InvalidInputException("--groups " + groups.file() + " names run " + run + ", which has no "
                        + ResultWriter.EVALUATIONS + "/ rows with split online in --in");
            }
            if (tasks == null) {
                tasks = rows.size();
            }
            if (rows.size() != tasks || rows.get(rows.size() - 1).getInt(1) != rows.size() - 1) {
                throw new InvalidInputException("run " + run + " has online accuracies for tasks "
                        + rows.stream().map(r -> String.valueOf(r.getInt(1))).collect(Collectors.joining(","))
                        + "; expected tasks 0 to " + (tasks - 1) + " as the study's other runs");
            }
            List<Double> values = rows.stream().map(r -> r.getDouble(2)).toList();
            List<Double> dead = new ArrayList<>();
            List<Double> rank = new ArrayList<>();
            Map<Integer, Row> readings = new HashMap<>();
            diagnostics.getOrDefault(run, List.of()).forEach(r -> readings.put(r.getInt(1), r));
            for (int task = 0; task < tasks; task++) {
                Row reading = readings.get(task);
                dead.add(reading == null || reading.isNullAt(2) ? null : reading.getDouble(2));
                rank.add(reading == null || reading.isNullAt(3) ? null : reading.getDouble(3));
            }
            runs.add(new OnlineStudy.Run(run, member.getValue().group(), member.getValue().replica(), values, dead, rank));
        }
        int block = OnlineStudy.blockTasks(tasks);
        List<OnlineStudy.TaskStatistic> statistics = OnlineStudy.taskStatistics(runs);
        List<Row> taskRows = statistics.stream().map(s -> IntervalTable.summaryRow(s.value(), s.group(), s.series(), s.task()))
                .toList();
        Dataset<Row> taskTable = AnalysisTables.view(TASK_STATISTICS, spark.createDataFrame(taskRows, TASK_STATISTICS_SCHEMA));
        List<Row> summaryRows = OnlineStudy.summaries(runs).stream()
                .map(s -> IntervalTable.summaryRow(s.value(), s.group(), s.measure(), block)).toList();
        Dataset<Row> summary = AnalysisTables.view(SUMMARY, spark.createDataFrame(summaryRows, SUMMARY_SCHEMA));
        List<StudyGroups.Comparison> comparisons = groups.comparisons();
        Optional<Dataset<Row>> differences = comparisons.isEmpty() ? Optional.empty() : Optional.of(AnalysisTables.view(
                PAIRED_DIFFERENCES, spark.createDataFrame(OnlineStudy.differences(runs, comparisons).stream()
                        .map(d -> IntervalTable.differenceRow(d.value(), d.unpaired(), d.group(), d.baseline(), d.measure()))
                        .toList(), PAIRED_DIFFERENCES_SCHEMA)));
        return Optional.of(new OnlineTables(List.copyOf(statistics), taskTable, summary, differences));
    }

    private static Map<String, List<Row>> byRun(List<Row> rows) {
        return rows.stream().collect(Collectors.groupingBy(r -> r.getString(0), LinkedHashMap::new, Collectors.toList()));
    }

    /** The tables by file name, in the order the report shows them. */
    List<AnalysisTables.NamedTable> named() {
        List<AnalysisTables.NamedTable> named = new ArrayList<>();
        named.add(new AnalysisTables.NamedTable(SUMMARY, summary));
        pairedDifferences.ifPresent(d -> named.add(new AnalysisTables.NamedTable(PAIRED_DIFFERENCES, d)));
        named.add(new AnalysisTables.NamedTable(TASK_STATISTICS, taskTable));
        return named;
    }
}
