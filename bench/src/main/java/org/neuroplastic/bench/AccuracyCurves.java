package org.neuroplastic.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fashion-mnist benchmark's curves: test accuracy against training seconds for each trainer, printed
 * as each point is measured and again as a table, and the time each first reaches the target.
 */
final class AccuracyCurves {

    private final double target;
    private final List<Point> points = new ArrayList<>();

    /** One measurement of a curve: test accuracy after {@code seconds} of training. */
    record Point(String trainer, String progress, double seconds, double accuracy) {
    }

    AccuracyCurves(double target) {
        this.target = target;
    }

    void record(Point point) {
        points.add(point);
        System.out.printf(Locale.ROOT, "%-8s %-12s %9.1f %9.4f%n", point.trainer(), point.progress(), point.seconds(),
                point.accuracy());
    }

    void printTable() {
        System.out.println("| trainer | progress | train_s | test_accuracy |");
        System.out.println("| --- | --- | --- | --- |");
        for (Point p : points) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.4f |%n", p.trainer(), p.progress(), p.seconds(),
                    p.accuracy());
        }
    }

    double timeToTarget(String trainer) {
        return points.stream().filter(p -> p.trainer().equals(trainer) && p.accuracy() >= target)
                .mapToDouble(Point::seconds).findFirst().orElse(Double.NaN);
    }

    Point last(String trainer) {
        return points.stream().filter(p -> p.trainer().equals(trainer)).reduce((a, b) -> b).orElseThrow();
    }

    static String seconds(double value) {
        return Double.isNaN(value) ? "not_reached" : String.format(Locale.ROOT, "%.1f", value);
    }

    static String ratio(double ours, double mllib, double mllibAtLeast) {
        if (Double.isNaN(ours)) {
            return "not_measured";
        }
        if (Double.isNaN(mllib)) {
            return String.format(Locale.ROOT, "<%.3f", ours / mllibAtLeast);
        }
        return String.format(Locale.ROOT, "%.3f", ours / mllib);
    }
}
