package org.neuroplastic.jobs.sweep;

import java.io.Serializable;

/** A trial's held-out evaluation after one epoch, as in the evaluations table. */
record EpochEvaluation(int epoch, long examples, double loss, Double accuracy) implements Serializable {
}
