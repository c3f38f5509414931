package org.neuroplastic.jobs.data;

import java.io.Serializable;

/** One labelled example read from a text or IDX file, before it becomes a row. */
record Example(float[] features, double label) implements Serializable {
}
