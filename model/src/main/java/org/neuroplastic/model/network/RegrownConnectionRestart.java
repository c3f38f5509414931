package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * For networks whose layers rewire themselves during training passes: after each update, starts the
 * connections regrown in that pass afresh (weight 0, no updater history; see
 * {@link PlasticNetwork#restartRegrownConnections}). The rewiring happens in the forward pass, before the
 * update of the same step, which would otherwise move the new weights with the updater's old moments.
 * {@link NetworkFactory} attaches it; add it yourself to a network restored from a file before training it.
 */
public final class RegrownConnectionRestart extends BaseTrainingListener {

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (model instanceof MultiLayerNetwork network) {
            PlasticNetwork.restartRegrownConnections(network);
        }
    }
}
