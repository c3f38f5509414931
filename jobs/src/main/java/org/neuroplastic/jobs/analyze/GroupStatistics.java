package org.neuroplastic.jobs.analyze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The statistics of a study's groups ({@code analyze --groups}), whatever the runs measured: each group's
 * measures over its replicas ({@link MeanInterval}'s 95% Student t interval), and each compared group minus its
 * baseline, replica by replica (Student's paired t interval, as in {@link PairedDifferences}). Pure computation
 * on a few numbers per run.
 */
final class GroupStatistics {

    /**
     * One run's measures.
     *
     * @param group    its group, as the groups file names it
     * @param replica  its replica number: runs of different groups with the same number share their seeds
     * @param measures measure name to value; a measure the run lacks is absent
     */
    record Measured(String group, int replica, Map<String, Double> measures) {

        Measured {
            measures = Map.copyOf(measures);
        }
    }

    /** One measure of one group over its replicas. */
    record Summary(String group, String measure, MeanInterval value) {
    }

    /**
     * One measure of one group minus its baseline group's, replica by replica.
     *
     * @param unpaired replicas of either group with the measure but no partner of the same replica number
     */
    record Difference(String group, String baseline, String measure, int unpaired, MeanInterval value) {
    }

    private GroupStatistics() {
    }

    /** Every group's measures over its replicas, in group (first appearance) then {@code measures} order. */
    static List<Summary> summaries(List<Measured> runs, List<String> measures) {
        List<Summary> summaries = new ArrayList<>();
        byGroup(runs).forEach((group, members) -> {
            for (String measure : measures) {
                List<Double> values = members.stream().map(m -> m.measures().get(measure)).filter(Objects::nonNull).toList();
                if (!values.isEmpty()) {
                    summaries.add(new Summary(group, measure, interval(values)));
                }
            }
        });
        return summaries;
    }

    /** Each comparison's group minus its baseline, measure by measure, paired by replica number. */
    static List<Difference> differences(List<Measured> runs, List<StudyGroups.Comparison> comparisons,
                                        List<String> measures) {
        Map<String, List<Measured>> groups = byGroup(runs);
        List<Difference> differences = new ArrayList<>();
        for (StudyGroups.Comparison comparison : comparisons) {
            Map<Integer, Map<String, Double>> subject = byReplica(groups.getOrDefault(comparison.group(), List.of()));
            Map<Integer, Map<String, Double>> baseline = byReplica(groups.getOrDefault(comparison.baseline(), List.of()));
            for (String measure : measures) {
                List<Double> paired = new ArrayList<>();
                int withMeasure = 0;
                for (Map.Entry<Integer, Map<String, Double>> replica : subject.entrySet()) {
                    Double value = replica.getValue().get(measure);
                    Double partner = baseline.getOrDefault(replica.getKey(), Map.of()).get(measure);
                    withMeasure += value != null ? 1 : 0;
                    if (value != null && partner != null) {
                        paired.add(value - partner);
                    }
                }
                withMeasure += (int) baseline.values().stream().filter(m -> m.get(measure) != null).count();
                if (!paired.isEmpty()) {
                    differences.add(new Difference(comparison.group(), comparison.baseline(), measure,
                            withMeasure - 2 * paired.size(), interval(paired)));
                }
            }
        }
        return differences;
    }

    private static Map<String, List<Measured>> byGroup(List<Measured> runs) {
        Map<String, List<Measured>> groups = new LinkedHashMap<>();
        for (Measured run : runs) {
            groups.computeIfAbsent(run.group(), g -> new ArrayList<>()).add(run);
        }
        return groups;
    }

    /** The first run of a replica number stands for it. */
    private static Map<Integer, Map<String, Double>> byReplica(List<Measured> runs) {
        Map<Integer, Map<String, Double>> measures = new TreeMap<>();
        for (Measured run : runs) {
            measures.putIfAbsent(run.replica(), run.measures());
        }
        return measures;
    }

    static MeanInterval interval(List<Double> values) {
        return MeanInterval.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
