package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.neuroplastic.jobs.config.ConfigSection;
import org.neuroplastic.model.network.ConfigName;

import java.util.ArrayList;
import java.util.List;

/**
 * One swept configuration key and what it takes: a list of values, or a distribution (random search
 * only).
 *
 * @param key          a train configuration key as {@code --set} addresses it, e.g.
 *                     {@code network.hidden.0.plasticity.hebbian.eta}
 * @param values       the values as YAML (JSON) texts; empty when {@code distribution} is set
 * @param distribution null when {@code values} are listed
 */
public record SweptParameter(String key, List<String> values, Distribution distribution) {

    public SweptParameter {
        values = List.copyOf(values);
        if (values.isEmpty() == (distribution == null)) {
            throw new IllegalArgumentException(key + " needs either values or a distribution");
        }
    }

    /** The trials table's column for this key: the key with dots replaced by underscores. */
    public String column() {
        return key.replace('.', '_');
    }

    /**
     * Reads {@code parameters:}: each key must name a value of the base's effective configuration
     * ({@code baseTree}).
     */
    static List<SweptParameter> read(ConfigSection section, SweepConfig.Method method, String baseName,
                                     JsonNode baseTree) {
        List<String> keys = section.keys();
        if (keys.isEmpty()) {
            throw section.error("", "parameters must map at least one configuration key to values or a "
                    + "distribution, found none");
        }
        List<SweptParameter> parameters = new ArrayList<>(keys.size());
        for (String key : keys) {
            JsonNode current = valueAt(baseTree, key);
            if (current == null || current.isContainerNode()) {
                throw section.error(key, "parameters." + key + " names no value of the base configuration "
                        + baseName + " (keys are dotted paths such as network.hidden.0.plasticity.hebbian.eta)");
            }
            ConfigSection p = section.section(key);
            parameters.add(p.build(() -> readOne(p, key, method, current)));
        }
        return parameters;
    }

    private static SweptParameter readOne(ConfigSection p, String key, SweepConfig.Method method, JsonNode current) {
        if (p.has("values") || method == SweepConfig.Method.GRID) {
            JsonNode values = p.raw("values");
            if (values == null || values.isNull()) {
                throw p.error("values", "parameters." + key + ".values is required for method grid");
            }
            if (!values.isArray() || values.isEmpty()) {
                throw p.error("values", "parameters." + key + ".values must be a non-empty list, found "
                        + (values.isArray() ? "an empty list" : ConfigSection.kind(values)));
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode value : values) {
                if (value.isContainerNode() || value.isNull()) {
                    throw p.error("values", "parameters." + key + ".values must list plain values, found "
                            + ConfigSection.kind(value));
                }
                texts.add(value.toString());
            }
            return new SweptParameter(key, texts, null);
        }
        Distribution.Kind kind = p.choice("distribution", Distribution.Kind.class);
        if (!current.isNumber()) {
            throw p.error("distribution", "parameters." + key + ".distribution needs a numeric key, but " + key
                    + " is " + ConfigSection.kind(current) + " in the base configuration");
        }
        if (current.isIntegralNumber() && kind != Distribution.Kind.INT_UNIFORM) {
            throw p.error("distribution", "parameters." + key + ".distribution must be int_uniform for the integer key "
                    + key + ", found " + ConfigName.of(kind));
        }
        double min = p.number("min");
        double max = p.number("max");
        try {
            return new SweptParameter(key, List.of(), new Distribution(kind, min, max));
        } catch (IllegalArgumentException e) {
            throw p.error("min", "parameters." + key + ": " + e.getMessage());
        }
    }

    /** The node at a dotted key (list entries by index), or null. */
    private static JsonNode valueAt(JsonNode tree, String key) {
        JsonNode node = tree;
        for (String part : key.split("\\.", -1)) {
            if (node == null) {
                return null;
            }
            if (node.isArray()) {
                if (part.isEmpty() || !part.chars().allMatch(Character::isDigit) || part.length() > 8) {
                    return null;
                }
                node = node.get(Integer.parseInt(part));
            } else {
                node = node.get(part);
            }
        }
        return node;
    }
}
