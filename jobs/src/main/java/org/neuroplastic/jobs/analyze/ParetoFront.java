package org.neuroplastic.jobs.analyze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pareto-optimal points of a multi-objective study: a point is optimal when no other point is at least as
 * good on every objective and strictly better on one (each objective judged by its goal). Points with equal
 * values do not dominate each other, so ties are all optimal.
 */
final class ParetoFront {

    private ParetoFront() {
    }

    /**
     * The keys of the optimal points, in {@code points}' order.
     *
     * @param points one value per objective for each key; every array as long as {@code goals}, all finite
     * @param goals  each objective's direction
     */
    static <K> Set<K> optimal(Map<K, double[]> points, List<SweepMetric.Goal> goals) {
        List<Map.Entry<K, double[]>> entries = new ArrayList<>(new LinkedHashMap<>(points).entrySet());
        for (Map.Entry<K, double[]> e : entries) {
            if (e.getValue().length != goals.size()) {
                throw new IllegalArgumentException("point " + e.getKey() + " has " + e.getValue().length
                        + " values, expected one per objective: " + goals.size());
            }
        }
        Set<K> front = new LinkedHashSet<>();
        for (Map.Entry<K, double[]> candidate : entries) {
            boolean dominated = false;
            for (Map.Entry<K, double[]> other : entries) {
                if (other != candidate && dominates(other.getValue(), candidate.getValue(), goals)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(candidate.getKey());
            }
        }
        return front;
    }

    /** Whether {@code a} is at least as good as {@code b} on every objective and better on one. */
    static boolean dominates(double[] a, double[] b, List<SweepMetric.Goal> goals) {
        boolean better = false;
        for (int i = 0; i < goals.size(); i++) {
            int order = goals.get(i) == SweepMetric.Goal.MINIMIZE ? Double.compare(b[i], a[i]) : Double.compare(a[i], b[i]);
            if (order < 0) {
                return false;
            }
            better |= order > 0;
        }
        return better;
    }
}
