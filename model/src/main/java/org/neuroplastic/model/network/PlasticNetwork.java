package org.neuroplastic.model.network;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.model.layer.PlasticDenseLayer;

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
        return rewired;
    }
}
