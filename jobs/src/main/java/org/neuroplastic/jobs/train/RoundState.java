package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.neuroplastic.jobs.data.Vectors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Everything a worker's network must be reset to at the start of a round: parameters, updater state
 * and the iteration and epoch counters (Adam's bias correction and learning-rate schedules read
 * them). It is broadcast as plain bytes: Spark closes an AutoCloseable broadcast value such as an
 * INDArray when the broadcast is destroyed, and bytes need no serializer registration. Both ends
 * copy straight between the bytes and the network's native arrays.
 *
 * <p>Layout: iteration, epoch, parameter count, updater-state count (-1: none), then the floats.
 */
final class RoundState {

    /** Four ints before the floats: iteration, epoch, parameter count, updater-state count. */
    private static final int HEADER_BYTES = 16;
    /** Where the header keeps the parameter count. */
    private static final int PARAMETER_COUNT_AT = 8;

    private RoundState() {
    }

    /** A copy of the network's current state (never a view of its live arrays). */
    static byte[] capture(MultiLayerNetwork network) {
        INDArray parameters = network.params();
        INDArray updaterState = updaterState(network);
        long updaterLength = updaterState == null ? -1 : updaterState.length();
        ByteBuffer buffer = Vectors.allocate(HEADER_BYTES
                + 4 * (int) (parameters.length() + Math.max(updaterLength, 0)));
        buffer.putInt(network.getIterationCount()).putInt(network.getEpochCount())
                .putInt((int) parameters.length()).putInt((int) updaterLength);
        Vectors.put(buffer, parameters);
        if (updaterState != null) {
            Vectors.put(buffer, updaterState);
        }
        return buffer.array();
    }

    /**
     * Overwrites the network's parameters, updater state and counters with the captured state;
     * returns the iteration count the round starts from.
     */
    static int apply(byte[] state, MultiLayerNetwork network) {
        ByteBuffer buffer = Vectors.wrap(state);
        int iteration = buffer.getInt();
        int epoch = buffer.getInt();
        int parameterLength = buffer.getInt();
        int updaterLength = buffer.getInt();
        INDArray parameters = network.params();
        if (parameters.length() != parameterLength) {
            throw new IllegalStateException("the worker's network has " + parameters.length()
                    + " parameters, the broadcast carries " + parameterLength);
        }
        Vectors.get(buffer, parameters);
        if (updaterLength >= 0) {
            INDArray view = updaterState(network);
            if (view == null || view.length() != updaterLength) {
                throw new IllegalStateException("updater state has " + (view == null ? 0 : view.length())
                        + " values on the worker, the broadcast carries " + updaterLength);
            }
            Vectors.get(buffer, view);
        }
        network.setIterationCount(iteration);
        network.setEpochCount(epoch);
        return iteration;
    }

    /** The parameters of a captured state, as a view of its bytes (index 0 is the first parameter). */
    static FloatBuffer parameters(byte[] state) {
        ByteBuffer buffer = Vectors.wrap(state);
        int parameterLength = buffer.getInt(PARAMETER_COUNT_AT);
        return buffer.position(HEADER_BYTES).limit(HEADER_BYTES + 4 * parameterLength).slice().order(Vectors.ORDER)
                .asFloatBuffer();
    }

    /** The updater's state view (live), or null when the updater keeps no state (e.g. plain SGD). */
    static INDArray updaterState(MultiLayerNetwork network) {
        Updater updater = network.getUpdater();
        return updater == null ? null : updater.getStateViewArray();
    }
}
