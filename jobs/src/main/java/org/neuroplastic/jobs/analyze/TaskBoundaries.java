package org.neuroplastic.jobs.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a continual run switches task, on a chart's horizontal axis (step or epoch): half-way between the last
 * reading of one task and the first reading of the next, so the mark falls between the two tasks' points and
 * never on either.
 */
final class TaskBoundaries {

    /** One reading: the run, its position on the axis, the task being trained. */
    record Reading(String run, double x, int task) {
    }

    /**
     * The boundaries drawn on a chart of several runs: those of {@code run}, the best-ranked run that has any;
     * {@code shared} when every other run drawn with boundaries has the same ones (runs of one stream).
     */
    record Marks(String run, List<Double> at, boolean shared) {
        Marks {
            at = List.copyOf(at);
        }
    }

    private TaskBoundaries() {
    }

    /** The boundaries of one run's readings, ascending. */
    static List<Double> of(List<Reading> readings) {
        List<Reading> sorted = new ArrayList<>(readings);
        sorted.sort(Comparator.comparingDouble(Reading::x));
        List<Double> boundaries = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).task() != sorted.get(i).task()) {
                boundaries.add((sorted.get(i - 1).x() + sorted.get(i).x()) / 2);
            }
        }
        return boundaries;
    }

    /**
     * The marks of a chart of the runs {@code ranked} (best first): one set of lines, since lines of runs with
     * different streams drawn together could not be told apart; empty when no run drawn switches task.
     */
    static Optional<Marks> of(List<Reading> readings, List<String> ranked) {
        Map<String, List<Reading>> byRun = new LinkedHashMap<>();
        readings.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
        List<List<Double>> boundaries = ranked.stream().filter(byRun::containsKey).map(run -> of(byRun.get(run)))
                .filter(b -> !b.isEmpty()).toList();
        Optional<String> first = ranked.stream().filter(byRun::containsKey).filter(run -> !of(byRun.get(run)).isEmpty()).findFirst();
        return first.map(run -> new Marks(run, boundaries.get(0), boundaries.stream().allMatch(boundaries.get(0)::equals)));
    }
}
