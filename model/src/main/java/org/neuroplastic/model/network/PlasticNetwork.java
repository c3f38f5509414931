package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.model.layer.PlasticDenseLayer;
import org.neuroplastic.model.layer.PlasticDenseParameters;
import org.neuroplastic.model.plasticity.Elements;

import java.util.ArrayList;
import java.util.List;

/** Operations on every plastic layer of a network. */
public final class PlasticNetwork {

    private PlasticNetwork() {
    }

    public static List<PlasticDenseLayer> plasticLayers(MultiLayerNetwork network) {
        List<PlasticDenseLayer> plastic = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            if (layer instanceof PlasticDenseLayer p) {
                plastic.add(p);
            }
        }
        return plastic;
    }

    /** Switches state updates of training passes on or off in every plastic layer (off for gradient checks). */
    public static void setStateUpdates(MultiLayerNetwork network, boolean enabled) {
        plasticLayers(network).forEach(l -> l.setStateUpdates(enabled));
    }

    /**
     * The trainer's rewiring, for networks built with {@link NetworkFactory.Rewiring#BY_TRAINER}: after the
     * network has trained from step {@code fromStep} to {@code toStep} (e.g. one averaging round), each
     * layer with structural plasticity whose {@code rewire_every} boundary was crossed rewires once, as its
     * rewiring number {@code toStep / rewire_every}. The decision depends only on the (averaged)
     * parameters and the seed, so the driver, or every worker holding the same parameters, takes the same one.
     *
     * @return the number of layers rewired
     */
    public static int rewire(MultiLayerNetwork network, long fromStep, long toStep) {
        int rewired = 0;
        for (PlasticDenseLayer layer : plasticLayers(network)) {
            if (!layer.plasticity().structural().enabled()) {
                continue;
            }
            long every = layer.plasticity().structural().rewireEvery();
            if (toStep / every > fromStep / every) {
                layer.rewire(toStep / every);
                rewired++;
            }
        }
        restartRegrownConnections(network);
        return rewired;
    }

    /**
     * Starts every connection regrown since the last call afresh: weight 0 and no updater history. Without
     * this, the moments an updater such as Adam kept from before the connection was pruned would move its
     * new weight off 0 at the next update. Called by {@link #rewire} and, for networks whose layers rewire
     * themselves, after every update by {@link RegrownConnectionRestart}.
     */
    public static void restartRegrownConnections(MultiLayerNetwork network) {
        Layer[] layers = network.getLayers();
        long offset = 0;
        for (Layer layer : layers) {
            if (layer instanceof PlasticDenseLayer plastic) {
                int[] regrown = plastic.takeRegrownConnections();
                if (regrown.length > 0) {
                    Elements weight = Elements.of(plastic.getParam(PlasticDenseParameters.WEIGHT));
                    for (int k : regrown) {
                        weight.set(k, 0.0);
                    }
                    // W comes first in the layer's slice of the flat parameter vector.
                    clearUpdaterState(network, offset, regrown);
                }
            }
            offset += layer.numParams();
        }
    }

    /** Zeroes every updater state slot (e.g. Adam's m and v) of the given positions of the flat parameters. */
    static void clearUpdaterState(MultiLayerNetwork network, long layerOffset, int[] positions) {
        Updater updater = network.getUpdater(false);
        if (!(updater instanceof BaseMultiLayerUpdater<?> multiLayer)) {
            return;
        }
        for (UpdaterBlock block : multiLayer.getUpdaterBlocks()) {
            INDArray state = block.getUpdaterView();
            if (state == null || state.length() == 0) {
                continue;
            }
            long start = block.getParamOffsetStart();
            long length = block.getParamOffsetEnd() - start;
            // Each state slot is a block-sized run of the view: Adam's is [m | v].
            long slots = state.length() / length;
            Elements view = Elements.of(state);
            for (int k : positions) {
                long position = layerOffset + k - start;
                if (position < 0 || position >= length) {
                    continue;
                }
                for (long slot = 0; slot < slots; slot++) {
                    view.set(Math.toIntExact(slot * length + position), 0.0);
                }
            }
        }
    }
}
