package org.neuroplastic.jobs.sweep;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The decision at one rung of successive halving. */
final class SuccessiveHalving {

    private SuccessiveHalving() {
    }

    /**
     * The trials that go on past a rung: the best {@link EarlyStop#promoted} of every trial that reached
     * it, ranked by {@code metricAtRung} (null or NaN last, ties by trial id so the choice is
     * reproducible). Trials that reached the rung in an earlier, interrupted attempt of the sweep belong in
     * the map too, so a resumed sweep promotes exactly what an uninterrupted one would.
     */
    static Set<String> promoted(Map<String, Double> metricAtRung, EarlyStop earlyStop, Metric metric) {
        List<String> ranked = ranked(metricAtRung, metric);
        return new LinkedHashSet<>(ranked.subList(0, Math.min(ranked.size(), earlyStop.promoted(ranked.size()))));
    }

    /**
     * The trials at a rung, best first by {@code metric} (null or NaN last), ties by trial id so that the
     * order is reproducible: the one ranking synchronous and asynchronous halving promote by.
     */
    static List<String> ranked(Map<String, Double> metricAtRung, Metric metric) {
        Comparator<Map.Entry<String, Double>> order = Map.Entry.<String, Double>comparingByValue(metric.ranking())
                .thenComparing(Map.Entry.comparingByKey());
        return metricAtRung.entrySet().stream().sorted(order).map(Map.Entry::getKey).toList();
    }
}
