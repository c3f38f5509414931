package org.neuroplastic.jobs.sweep;

import java.io.Serializable;

/**
 * A trial's held-out evaluation after one epoch, as in the evaluations table: the test split's, and the
 * validation split's ({@code data.validation_fraction}): 0 examples and a null loss without one.
 */
record EpochEvaluation(int epoch, long examples, double loss, Double accuracy, long validationExamples, Double validationLoss,
                       Double validationAccuracy) implements Serializable {
}
