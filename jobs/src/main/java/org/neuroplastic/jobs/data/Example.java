package org.neuroplastic.jobs.data;

/** One labelled example read on the driver from a text or IDX file, before it becomes a row. */
record Example(float[] features, double label) {
}
