package org.neuroplastic.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;

import java.util.List;

/** The scaling benchmark's network, sized to a target parameter count. */
final class ScalingNetwork {

    static final int CLASSES = 10;

    private ScalingNetwork() {
    }

    /**
     * A network of about {@code targetParameters} parameters: {@code h} inputs, one plastic hidden layer of
     * {@code h} units with every mechanism on (as the other benchmarks train it), a softmax of 10 classes,
     * Adam; {@code h} the width whose parameter count comes closest to the target. Parameters count every
     * value a worker's network holds in its parameter vector, learned and plastic state alike (what the
     * master averages); the updater state, about as large again, travels with it.
     */
    static NetworkSpec network(long targetParameters) {
        int low = 1;
        int high = 1;
        while (parameterCount(spec(high)) < targetParameters) {
            high *= 2;
        }
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (parameterCount(spec(middle)) < targetParameters) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if (low > 1 && targetParameters - parameterCount(spec(low - 1)) < parameterCount(spec(low)) - targetParameters) {
            low--;
        }
        return spec(low);
    }

    private static NetworkSpec spec(int width) {
        return new NetworkSpec(width, List.of(new LayerSpec(width, "relu", PlasticityBenchmark.allMechanisms())),
                OutputSpec.classification(CLASSES), UpdaterSpec.adam(1e-3), 42, NetworkSpec.Variant.PLASTIC);
    }

    /** Parameters of the network {@code spec} builds, counted from its configuration without allocating them. */
    static long parameterCount(NetworkSpec spec) {
        MultiLayerConfiguration configuration = NetworkFactory.configuration(spec, NetworkFactory.Rewiring.BY_TRAINER,
                DataType.FLOAT);
        long count = 0;
        for (NeuralNetConfiguration layer : configuration.getConfs()) {
            count += layer.getLayer().initializer().numParams(layer);
        }
        return count;
    }
}
