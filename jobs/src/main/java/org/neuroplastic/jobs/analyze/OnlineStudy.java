package org.neuroplastic.jobs.analyze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The statistics of a loss-of-plasticity study over online streams (Dohare et al., "Loss of plasticity in deep
 * continual learning", Nature 2024): runs grouped by method, each method's replicas summarised task by task and
 * over the stream's first and last block of tasks, and every method paired replica by replica with a baseline
 * method ({@link GroupStatistics}). Pure computation on a few hundred numbers per run.
 */
final class OnlineStudy {

    /** The per-run measures summarised over replicas, in the order the study's table shows them. */
    static final String FIRST_BLOCK = "first_block_accuracy";
    static final String LAST_BLOCK = "last_block_accuracy";
    static final String DROP = "accuracy_drop";
    static final String FINAL_DEAD = "final_dead_fraction";
    static final String FINAL_RANK = "final_effective_rank";
    static final List<String> MEASURES = List.of(FIRST_BLOCK, LAST_BLOCK, DROP, FINAL_DEAD, FINAL_RANK);

    /** The per-task series, as named in {@code online_task_statistics}. */
    static final String ACCURACY = "online_accuracy";
    static final String DEAD = "dead_fraction";
    static final String RANK = "effective_rank";
    static final List<String> SERIES = List.of(ACCURACY, DEAD, RANK);

    /**
     * One run of the study.
     *
     * @param runId         the train run's id
     * @param group         its method, as the groups file names it
     * @param replica       its replica number: runs of different methods with the same replica share their seeds
     * @param accuracy      online accuracy of task 0, 1, ... (every task of the stream)
     * @param deadFraction  the first hidden layer's dead fraction at the last reading of each task; null where
     *                      the task has no reading
     * @param effectiveRank as {@code deadFraction}, the effective rank
     */
    record Run(String runId, String group, int replica, List<Double> accuracy, List<Double> deadFraction,
               List<Double> effectiveRank) {

        Run {
            accuracy = List.copyOf(accuracy);
            deadFraction = Collections.unmodifiableList(new ArrayList<>(deadFraction));
            effectiveRank = Collections.unmodifiableList(new ArrayList<>(effectiveRank));
        }

        List<Double> series(String name) {
            return switch (name) {
                case ACCURACY -> accuracy;
                case DEAD -> deadFraction;
                case RANK -> effectiveRank;
                default -> throw new IllegalArgumentException("no series " + name);
            };
        }
    }

    /** One series of one method at one task, over the method's replicas that have it. */
    record TaskStatistic(String group, String series, int task, MeanInterval value) {
    }

    private OnlineStudy() {
    }

    /** Tasks in a block: a tenth of the stream, as the train job's console blocks, at least one. */
    static int blockTasks(int tasks) {
        return Math.max(1, tasks / 10);
    }

    /**
     * A run's measures: the mean online accuracy of the first and of the last block of tasks, their difference
     * (first − last: positive when the run learns less late in the stream), and the last dead fraction and
     * effective rank it read; a measure the run lacks is left out.
     */
    static Map<String, Double> measures(Run run) {
        List<Double> accuracy = run.accuracy();
        int block = blockTasks(accuracy.size());
        double first = mean(accuracy.subList(0, block));
        double last = mean(accuracy.subList(accuracy.size() - block, accuracy.size()));
        Map<String, Double> measures = new LinkedHashMap<>();
        measures.put(FIRST_BLOCK, first);
        measures.put(LAST_BLOCK, last);
        measures.put(DROP, first - last);
        lastReading(run.deadFraction()).ifPresent(v -> measures.put(FINAL_DEAD, v));
        lastReading(run.effectiveRank()).ifPresent(v -> measures.put(FINAL_RANK, v));
        return measures;
    }

    /** Every method's series task by task, in method (first appearance), series, then task order. */
    static List<TaskStatistic> taskStatistics(List<Run> runs) {
        List<TaskStatistic> statistics = new ArrayList<>();
        byGroup(runs).forEach((group, members) -> {
            for (String series : SERIES) {
                Map<Integer, List<Double>> byTask = new TreeMap<>();
                for (Run run : members) {
                    List<Double> values = run.series(series);
                    for (int task = 0; task < values.size(); task++) {
                        if (values.get(task) != null) {
                            byTask.computeIfAbsent(task, t -> new ArrayList<>()).add(values.get(task));
                        }
                    }
                }
                byTask.forEach((task, values) -> statistics.add(new TaskStatistic(group, series, task, GroupStatistics.interval(values))));
            }
        });
        return statistics;
    }

    /** Every method's measures over its replicas, in method then measure order. */
    static List<GroupStatistics.Summary> summaries(List<Run> runs) {
        return GroupStatistics.summaries(measured(runs), MEASURES);
    }

    /** Each comparison's method minus its baseline method, measure by measure, paired by replica number. */
    static List<GroupStatistics.Difference> differences(List<Run> runs, List<StudyGroups.Comparison> comparisons) {
        return GroupStatistics.differences(measured(runs), comparisons, MEASURES);
    }

    private static List<GroupStatistics.Measured> measured(List<Run> runs) {
        return runs.stream().map(r -> new GroupStatistics.Measured(r.group(), r.replica(), measures(r))).toList();
    }

    private static Map<String, List<Run>> byGroup(List<Run> runs) {
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run run : runs) {
            groups.computeIfAbsent(run.group(), g -> new ArrayList<>()).add(run);
        }
        return groups;
    }

    private static Optional<Double> lastReading(List<Double> values) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i) != null) {
                return Optional.of(values.get(i));
            }
        }
        return Optional.empty();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

}
