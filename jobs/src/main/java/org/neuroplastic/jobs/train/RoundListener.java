package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Called on the driver after every averaging round, once the averaged parameters are set on the
 * driver's network and before the next round broadcasts them. Whatever a listener changes in
 * {@code averaged} (e.g. structural rewiring of plastic masks) is what every worker starts the next
 * round from. Listeners run in the order they were added.
 */
@FunctionalInterface
public interface RoundListener {

    void afterRound(RoundResult round, MultiLayerNetwork averaged);
}
