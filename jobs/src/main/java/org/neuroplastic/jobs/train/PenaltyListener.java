package org.neuroplastic.jobs.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Applies a {@link GradientPenalty} inside a worker network's {@code fit}: DL4J calls
 * {@code onGradientCalculation} after computing the loss gradient and before its updater uses it
 * (BaseOptimizer.gradientAndScore).
 */
final class PenaltyListener extends BaseTrainingListener {

    private final GradientPenalty penalty;

    private PenaltyListener(GradientPenalty penalty) {
        this.penalty = penalty;
    }

    /** Makes {@code penalty} (or none, when null) the one applied by the network's next fits. */
    static void install(MultiLayerNetwork network, GradientPenalty penalty) {
        // A mutable list: DL4J's layers keep the collection they are given and may add to it.
        network.setListeners(new ArrayList<>(penalty == null ? List.of() : List.of(new PenaltyListener(penalty))));
    }

    /** Java serialization: Spark's Kryo cannot build records, the natural form of a penalty. */
    static byte[] serialize(GradientPenalty penalty) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(penalty);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the gradient penalty " + penalty.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    static GradientPenalty deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (GradientPenalty) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot deserialize the gradient penalty", e);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        boolean divides = network.getLayerWiseConfigurations().getConf(0).isMiniBatch();
        penalty.addGradient(network.params(), network.getFlattenedGradients(), divides ? network.batchSize() : 1);
    }
}
