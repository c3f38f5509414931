package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.neuroplastic.jobs.config.ConfigSection;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.model.network.ConfigName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The held-out measure trials are ranked by: a validation metric to select settings, a test metric only to
 * report them (issue 19, item 2: settings chosen on the test split would overstate its figures).
 *
 * @param name which evaluation column
 * @param goal whether lower or higher is better
 */
public record Metric(Name name, Goal goal) {

    public enum Name { TEST_LOSS, TEST_ACCURACY, VALIDATION_LOSS, VALIDATION_ACCURACY }

    public enum Goal { MINIMIZE, MAXIMIZE }

    /**
     * The metric's value in one evaluation row of its {@link #split()}; null when the row has none (accuracy of a
     * regression).
     */
    public Double of(double loss, Double accuracy) {
        return isLoss() ? Double.valueOf(loss) : accuracy;
    }

    /** The metric's value after one epoch of a trial; null when the epoch has none. */
    Double of(EpochEvaluation e) {
        if (!onValidation()) {
            return of(e.loss(), e.accuracy());
        }
        return isLoss() ? e.validationLoss() : e.validationAccuracy();
    }

    /** The evaluations table's {@code split} the metric is read from: {@code test} or {@code validation}. */
    public String split() {
        return onValidation() ? "validation" : "test";
    }

    private boolean isLoss() {
        return name == Name.TEST_LOSS || name == Name.VALIDATION_LOSS;
    }

    private boolean onValidation() {
        return name == Name.VALIDATION_LOSS || name == Name.VALIDATION_ACCURACY;
    }

    /** The name as the sweep file and the trials table spell it, e.g. {@code test_accuracy}. */
    public String column() {
        return ConfigName.of(name);
    }

    /** Best first; NaN and null rank last. */
    public Comparator<Double> ranking() {
        Comparator<Double> better = goal == Goal.MINIMIZE ? Comparator.naturalOrder() : Comparator.reverseOrder();
        return Comparator.<Double, Boolean>comparing(v -> v == null || v.isNaN()).thenComparing(
                (a, b) -> (a == null || a.isNaN() || b == null || b.isNaN()) ? 0 : better.compare(a, b));
    }

    /**
     * Reads {@code metric:}, one mapping or a list of them (a multi-objective sweep); the first drives early
     * stopping and TPE, all are recorded per trial.
     */
    static List<Metric> readAll(ConfigSection root, TrainConfig base) {
        JsonNode value = root.has("metric") ? root.raw("metric") : null;
        if (value == null || !value.isArray()) {
            return List.of(read(root.section("metric"), base));
        }
        List<Metric> metrics = new ArrayList<>();
        Set<Name> names = EnumSet.noneOf(Name.class);
        for (ConfigSection section : root.sections("metric")) {
            Metric metric = read(section, base);
            if (!names.add(metric.name())) {
                throw section.error("name", "metric lists " + ConfigName.of(metric.name())
                        + " twice; name each metric once");
            }
            metrics.add(metric);
        }
        return List.copyOf(metrics);
    }

    /**
     * Reads one metric; an accuracy needs the base's data set to be a classification, a validation metric its
     * validation split.
     */
    static Metric read(ConfigSection section, TrainConfig base) {
        return section.build(() -> {
            Name name = section.choice("name", Name.class, Name.TEST_LOSS);
            Metric metric = new Metric(name, Goal.MINIMIZE);
            if (!metric.isLoss() && !base.data().target().isClassification()) {
                throw section.error("name", "metric.name " + ConfigName.of(name) + " needs a classification data set, "
                        + "but the base configuration's is regression");
            }
            if (metric.onValidation() && !(base.data() instanceof DataSource.Validated)) {
                throw section.error("name", "metric.name " + ConfigName.of(name) + " needs a validation split, but the "
                        + "base configuration has no data.validation_fraction; set it (> 0 and < 1) in the base");
            }
            Goal goal = section.choice("goal", Goal.class, metric.isLoss() ? Goal.MINIMIZE : Goal.MAXIMIZE);
            return new Metric(name, goal);
        });
    }
}
