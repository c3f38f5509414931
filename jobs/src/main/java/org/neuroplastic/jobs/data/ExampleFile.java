package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaPairRDD;
import org.neuroplastic.jobs.storage.Location;

/**
 * The examples of one data file (an IDX pair counts as one), checked and counted by a first pass on the
 * executors.
 *
 * @param file     the file, for messages
 * @param examples how many it holds
 * @param features features per example
 * @param numbered its examples keyed by their 0-based position in the file, read on the executors
 */
record ExampleFile(Location file, long examples, int features, JavaPairRDD<Long, Example> numbered) {
}
