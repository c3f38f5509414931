package org.neuroplastic.model.network;

import java.util.Locale;

/**
 * How a constant is spelled wherever users read or write it (configuration files, tables, messages): its
 * name in lower case, {@code RESIDENT} as {@code resident}. The one place that spelling is made, so that a
 * key's value, a column's value and an error message always agree.
 */
public final class ConfigName {

    private ConfigName() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
