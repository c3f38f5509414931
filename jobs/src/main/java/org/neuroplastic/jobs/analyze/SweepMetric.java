package org.neuroplastic.jobs.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.model.network.ConfigName;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A metric trials are ranked by: the sweep's {@code metric: {name, goal}} (or each of its list) when the analysed folder holds
 * a sweep's effective configuration, else the metric its trials table names, else the held-out loss,
 * lower is better.
 *
 * @param name the metric's name as the sweep file gives it
 * @param goal whether lower or higher values rank first
 */
public record SweepMetric(String name, Goal goal) {

    /** The direction in which a metric improves. */
    public enum Goal {
        MINIMIZE, MAXIMIZE;

        String sqlOrder() {
            return this == MINIMIZE ? "ASC" : "DESC";
        }

        @Override
        public String toString() {
            return ConfigName.of(this);
        }
    }

    /** Ranking of runs without a sweep: the held-out loss after the last epoch. */
    public static final SweepMetric HELD_OUT_LOSS = new SweepMetric("test_loss", Goal.MINIMIZE);

    /** The file every job stores its effective configuration in, beside its results. */
    static final String EFFECTIVE_CONFIG = "config.yaml";

    /** A metric whose goal follows its name: accuracies are maximized, anything else minimized. */
    static SweepMetric named(String name) {
        return new SweepMetric(name, name.toLowerCase(Locale.ROOT).contains("accuracy") ? Goal.MAXIMIZE : Goal.MINIMIZE);
    }

    /**
     * Reads {@code metric} from {@code <in>/config.yaml} when it is there: one mapping, or a list of them for a
     * multi-objective sweep, first metric first; a goal left out follows the name. Empty without a metric.
     */
    static List<SweepMetric> read(Storage storage, Location in) {
        Location file = in.resolve(EFFECTIVE_CONFIG);
        JsonNode metric;
        try {
            if (!storage.isFile(file)) {
                return List.of();
            }
            metric = new ObjectMapper(new YAMLFactory()).readTree(storage.readText(file)).path("metric");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<SweepMetric> metrics = new ArrayList<>();
        for (JsonNode entry : metric.isArray() ? metric : List.of(metric)) {
            if (!entry.isObject() || !entry.path("name").isTextual()) {
                return List.of();
            }
            metrics.add(of(file, entry));
        }
        return List.copyOf(metrics);
    }

    private static SweepMetric of(Location file, JsonNode metric) {
        String name = metric.path("name").asText();
        JsonNode goal = metric.path("goal");
        if (goal.isMissingNode() || goal.isNull()) {
            return named(name);
        }
        return switch (goal.asText().toLowerCase(Locale.ROOT)) {
            case "minimize" -> new SweepMetric(name, Goal.MINIMIZE);
            case "maximize" -> new SweepMetric(name, Goal.MAXIMIZE);
            default -> throw new InvalidInputException(file + ": metric.goal must be minimize or maximize, found " + goal.asText());
        };
    }
}
