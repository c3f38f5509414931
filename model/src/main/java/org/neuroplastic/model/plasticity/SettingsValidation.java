package org.neuroplastic.model.plasticity;

/** The checks every plasticity setting shares, so that each error names the field, the rule and the value found. */
final class SettingsValidation {

    private SettingsValidation() {
    }

    static double positive(String field, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, found " + value);
        }
        return value;
    }

    static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number, found " + value);
        }
        return value;
    }

    static double unitInterval(String field, double value) {
        if (!Double.isFinite(value) || value < 0 || value > 1) {
            throw new IllegalArgumentException(field + " must be in [0, 1], found " + value);
        }
        return value;
    }

    static <T> T present(String field, T value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be one of " + expected + ", found null");
        }
        return value;
    }
}
