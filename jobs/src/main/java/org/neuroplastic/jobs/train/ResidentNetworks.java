package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.neuroplastic.model.network.InferenceState;
import org.neuroplastic.model.network.NativeMemory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workers' networks kept alive in this JVM between averaging rounds, one per (run, partition).
 * Keying by run id keeps a second run in the same JVM from reusing a stale network. Two executor
 * threads may run the same partition one after the other (or, with a retried task, at once), so a
 * network is used only while its slot's lock is held.
 */
public final class ResidentNetworks {

    private record Key(String runId, int partition) {
    }

    /**
     * One partition's network, the configuration it was built from, and the inference state of its online
     * predictions ({@code at_inference.reset: per_task}), which lives and dies with the network.
     */
    static final class Slot {
        private final ReentrantLock lock = new ReentrantLock();
        private MultiLayerNetwork network;
        private String configurationJson;
        private InferenceState inference;

        void lock() {
            lock.lock();
        }

        void unlock() {
            lock.unlock();
        }

        /** The resident network, rebuilt when missing or built from another configuration; lock first. */
        MultiLayerNetwork network(String json) {
            if (network == null || !json.equals(configurationJson)) {
                close();
                MultiLayerNetwork built = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
                built.init();
                network = built;
                configurationJson = json;
                inference = new InferenceState();
                BUILDS.incrementAndGet();
            }
            return network;
        }

        /** The inference state of the resident network's online predictions; after {@link #network}. */
        InferenceState inference() {
            return inference;
        }

        private void close() {
            if (network != null) {
                NativeMemory.release(network);
                network = null;
                configurationJson = null;
                inference = null;
            }
        }
    }

    private static final Map<Key, Slot> SLOTS = new ConcurrentHashMap<>();
    private static final AtomicLong BUILDS = new AtomicLong();

    private ResidentNetworks() {
    }

    static Slot slot(String runId, int partition) {
        return SLOTS.computeIfAbsent(new Key(runId, partition), k -> new Slot());
    }

    /** Closes and forgets every network of the run held in this JVM; returns how many there were. */
    public static int release(String runId) {
        int released = 0;
        for (Map.Entry<Key, Slot> entry : SLOTS.entrySet()) {
            if (entry.getKey().runId().equals(runId)) {
                Slot slot = entry.getValue();
                slot.lock();
                try {
                    SLOTS.remove(entry.getKey(), slot);
                    if (slot.network != null) {
                        released++;
                    }
                    slot.close();
                } finally {
                    slot.unlock();
                }
            }
        }
        return released;
    }

    /** Networks of the run currently held in this JVM. */
    public static int held(String runId) {
        int held = 0;
        for (Map.Entry<Key, Slot> entry : SLOTS.entrySet()) {
            if (entry.getKey().runId().equals(runId) && entry.getValue().network != null) {
                held++;
            }
        }
        return held;
    }

    /** Networks built (first build or rebuild) in this JVM since it started, over all runs. */
    public static long builds() {
        return BUILDS.get();
    }
}
