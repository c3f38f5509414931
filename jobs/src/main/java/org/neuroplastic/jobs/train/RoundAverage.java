package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.data.Vectors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the driver receives from an averaging round's reducers: the averaged state (once, whatever the
 * number of workers) and every worker's summary. Its size grows with the state and by a few scalars per
 * worker.
 *
 * @param state   the averaged state: parameters, then updater state when averaged; empty when no worker
 *                trained
 * @param workers every worker's summary, in partition order
 */
record RoundAverage(float[] state, List<WorkerRound> workers) {

    /** @param reduced the reducers' outputs by reducer: shard reducers first, the summary reducer last */
    static RoundAverage assemble(StateShards shards, List<List<byte[]>> reduced) {
        List<WorkerRound> workers = new ArrayList<>();
        for (byte[] summary : reduced.get(shards.summaryShard())) {
            if (!WorkerRound.isRows(summary)) {
                workers.add(WorkerRound.decode(summary));
            }
        }
        workers.sort(Comparator.comparingInt(WorkerRound::partition));
        boolean trained = workers.stream().anyMatch(WorkerRound::trained);
        float[] state = new float[trained ? (int) shards.length() : 0];
        for (int shard = 0; shard < shards.shards(); shard++) {
            for (byte[] output : reduced.get(shard)) {
                ByteBuffer buffer = Vectors.wrap(output);
                int from = (int) shards.start(buffer.getInt());
                int length = (int) (shards.start(shard + 1) - shards.start(shard));
                buffer.asFloatBuffer().get(state, from, length);
            }
        }
        return new RoundAverage(state, List.copyOf(workers));
    }
}
