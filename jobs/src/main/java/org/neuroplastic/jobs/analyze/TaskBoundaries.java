package org.neuroplastic.jobs.analyze;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a continual run switches task, on a chart's horizontal axis (step or epoch): half-way between the last
 * reading of one task and the first reading of the next, so the mark falls between the two tasks' points and
 * never on either.
 */
final class TaskBoundaries {

    /** One reading: the run, its position on the axis, the task being trained. */
    record Reading(String run, double x, int task) {
    }

    private TaskBoundaries() {
    }

    /**
     * The boundaries of every run in {@code readings}, merged: the runs drawn in one chart usually share a stream
     * and then share their boundaries; where they differ each run's are drawn. Ascending, without repeats.
     */
    static List<Double> of(List<Reading> readings) {
        TreeSet<Double> boundaries = new TreeSet<>();
        List<Reading> sorted = new ArrayList<>(readings);
        sorted.sort((a, b) -> a.run().equals(b.run()) ? Double.compare(a.x(), b.x()) : a.run().compareTo(b.run()));
        for (int i = 1; i < sorted.size(); i++) {
            Reading previous = sorted.get(i - 1);
            Reading current = sorted.get(i);
            if (previous.run().equals(current.run()) && previous.task() != current.task()) {
                boundaries.add((previous.x() + current.x()) / 2);
            }
        }
        return List.copyOf(boundaries);
    }
}
