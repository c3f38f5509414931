package org.neuroplastic.jobs.trajectory;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.Serializable;
import java.util.List;

/**
 * Reads per-layer plasticity measurements from a network. Runs on the executors after every
 * minibatch and on the driver after every averaging round, so it travels inside Spark tasks
 * (hence {@link Serializable}) and must not modify the network.
 */
@FunctionalInterface
public interface LayerMetricsSource extends Serializable {

    List<LayerMetrics> read(MultiLayerNetwork network);
}
