package org.neuroplastic.jobs.config;

import java.io.Serializable;

/**
 * What a data set's {@code label} means: a continuous value, or a class index in {@code [0, classes)}.
 *
 * @param classes number of classes; 0 for regression
 */
public record Target(Task task, int classes) implements Serializable {

    public enum Task { REGRESSION, CLASSIFICATION }

    public Target {
        if (task == Task.CLASSIFICATION && classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, found " + classes);
        }
        if (task == Task.REGRESSION && classes != 0) {
            throw new IllegalArgumentException("classes applies only to task classification, found " + classes);
        }
    }

    public static Target regression() {
        return new Target(Task.REGRESSION, 0);
    }

    public static Target classification(int classes) {
        return new Target(Task.CLASSIFICATION, classes);
    }

    public boolean isClassification() {
        return task == Task.CLASSIFICATION;
    }

    /** Width of the network's output layer for this target. */
    public int outputs() {
        return isClassification() ? classes : 1;
    }
}
