package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;

/**
 * Everything a worker's network must be reset to at the start of a round: parameters, updater state
 * and the iteration and epoch counters (Adam's bias correction and learning-rate schedules read
 * them). It is broadcast as plain bytes: Spark closes an AutoCloseable broadcast value such as an
 * INDArray when the broadcast is destroyed, and bytes need no serializer registration.
 *
 * @param updaterState null when the updater keeps no state (e.g. plain SGD)
 */
record RoundState(int iteration, int epoch, float[] parameters, float[] updaterState) {

    /** A copy of the network's current state (never a view of its live arrays). */
    static RoundState of(MultiLayerNetwork network) {
        Updater updater = network.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        return new RoundState(network.getIterationCount(), network.getEpochCount(),
                network.params().toFloatVector(), state == null ? null : state.toFloatVector());
    }

    /** Overwrites the network's parameters, updater state and counters with this state. */
    void applyTo(MultiLayerNetwork network) {
        network.setParams(Nd4j.createFromArray(parameters).reshape(1, parameters.length));
        if (updaterState != null) {
            INDArray view = network.getUpdater().getStateViewArray();
            if (view == null || view.length() != updaterState.length) {
                throw new IllegalStateException("updater state has " + (view == null ? 0 : view.length())
                        + " values on the worker, the broadcast carries " + updaterState.length);
            }
            view.assign(Nd4j.createFromArray(updaterState).reshape(view.shape()));
        }
        network.setIterationCount(iteration);
        network.setEpochCount(epoch);
    }

    byte[] encode() {
        int updaterLength = updaterState == null ? -1 : updaterState.length;
        ByteBuffer buffer = ByteBuffer.allocate(16 + 4 * parameters.length + 4 * Math.max(updaterLength, 0));
        buffer.putInt(iteration).putInt(epoch).putInt(parameters.length).putInt(updaterLength);
        Vectors.put(buffer, parameters);
        if (updaterState != null) {
            Vectors.put(buffer, updaterState);
        }
        return buffer.array();
    }

    static RoundState decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int iteration = buffer.getInt();
        int epoch = buffer.getInt();
        int parameterLength = buffer.getInt();
        int updaterLength = buffer.getInt();
        float[] parameters = Vectors.get(buffer, parameterLength);
        float[] updaterState = updaterLength < 0 ? null : Vectors.get(buffer, updaterLength);
        return new RoundState(iteration, epoch, parameters, updaterState);
    }
}
