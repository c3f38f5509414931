package org.neuroplastic.jobs.analyze;

import org.neuroplastic.jobs.config.InvalidInputException;

/**
 * The setting every other setting of a sweep is compared with: the trials whose configuration has {@code key}
 * set to {@code value} ({@code --baseline network.variant=dense}). The key is a configuration key addressed
 * as {@code --set} does, swept or of the base configuration.
 *
 * @param key   dotted configuration key, e.g. {@code network.variant}
 * @param value the value as written, e.g. {@code dense}
 */
public record Baseline(String key, String value) {

    public Baseline {
        if (key == null || key.isBlank() || value == null || value.isEmpty()) {
            throw new InvalidInputException("--baseline must be key=value, found " + key + "=" + value);
        }
    }

    /** Reads the command line's {@code key=value}; the value may itself hold '='. */
    public static Baseline parse(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw new InvalidInputException("--baseline must be key=value (a configuration key such as network.variant=dense), found "
                    + text);
        }
        return new Baseline(text.substring(0, equals).trim(), text.substring(equals + 1).trim());
    }

    /**
     * Whether a trial's value of the key is the baseline's: the same text, or the same number ({@code 0.10} is
     * {@code 0.1}, since YAML and JSON may spell a swept number either way).
     */
    boolean matches(String trialValue) {
        if (trialValue == null) {
            return false;
        }
        if (trialValue.equals(value)) {
            return true;
        }
        try {
            return Double.parseDouble(trialValue) == Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
