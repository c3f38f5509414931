package org.neuroplastic.jobs.sweep;

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
}
