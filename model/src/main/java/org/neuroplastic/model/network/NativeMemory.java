package org.neuroplastic.model.network;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees a network's off-heap arrays once it is no longer used. DL4J's {@code MultiLayerNetwork.close()} frees the
 * same arrays and then calls {@code System.gc()} (1.0.0-M2): a full collection of the whole JVM, about 300 ms
 * with a Spark executor's heap. Held-out evaluation builds and drops a network copy per partition, so a
 * split-digits continual run spent half its wall time in those collections (Spark's event log: each evaluation
 * task 0.3 s of JVM GC time and 3 ms of CPU time in the task).
 */
public final class NativeMemory {

    private NativeMemory() {
    }

    /**
     * What {@code network.close()} does but the collections: closes its parameters, gradients and updater state
     * (each if closeable, so views of a caller's arrays stay open). This thread's workspaces are kept for the next
     * network this thread runs, which reuses them by name: ND4J's {@code destroyAllWorkspacesForCurrentThread()},
     * the other half of {@code close()}, ends in a {@code System.gc()} of its own.
     */
    public static void release(MultiLayerNetwork network) {
        close(network.params());
        close(network.getGradientsViewArray());
        Updater updater = network.getUpdater(false);
        if (updater != null) {
            close(updater.getStateViewArray());
        }
    }

    private static void close(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }
}
