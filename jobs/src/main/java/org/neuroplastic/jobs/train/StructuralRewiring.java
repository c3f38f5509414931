package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.model.network.ContinualBackprop;
import org.neuroplastic.model.network.PlasticNetwork;

/**
 * The driver's structural plasticity in distributed training: after each round, the averaged
 * network rewires every layer whose {@code rewire_every} boundary the round crossed. Workers train
 * with the masks fixed (networks built with {@code NetworkFactory.Rewiring.BY_TRAINER}) and all
 * start from the same mask, so the averaged mask stays binary and the rewiring keeps its density;
 * the next round's broadcast carries the rewired mask to every worker. Continual backprop's unit
 * replacement (Dohare et al. 2024) is decided the same way: from the averaged utilities and ages, once for
 * the round's steps, so every worker continues from the same units.
 */
public final class StructuralRewiring implements RoundListener {

    private long layersRewired;
    private long unitsReplaced;

    @Override
    public void afterRound(RoundResult round, MultiLayerNetwork averaged) {
        layersRewired += PlasticNetwork.rewire(averaged, round.firstStep() - 1, round.lastStep());
        unitsReplaced += ContinualBackprop.replaceUnits(averaged, round.firstStep() - 1, round.lastStep());
    }

    /** Units continual backprop replaced so far. */
    public long unitsReplaced() {
        return unitsReplaced;
    }

    /** Layer rewirings done so far (one per layer per crossed {@code rewire_every} boundary). */
    public long layersRewired() {
        return layersRewired;
    }
}
