package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.data.Vectors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver receives from an averaging round's reducers: the averaged state (once, whatever the
 * number of workers), every worker's summary, and each trained worker's distance from the average per
 * layer (when measured). Its size grows with the state and by a few scalars per worker.
 *
 * @param state      the averaged state: parameters, then updater state when averaged; empty when no worker
 *                   trained
 * @param workers    every worker's summary, in partition order
 * @param divergence per trained worker (by partition), per layer index: the L2 distance of the worker's
 *                   layer parameters from the averaged ones; empty when not measured
 */
record RoundAverage(float[] state, List<WorkerRound> workers, Map<Integer, double[]> divergence) {

    /**
     * @param reduced the reducers' outputs by reducer: shard reducers first, the summary reducer last
     * @param layers  the network's layer count (the length of each divergence array)
     */
    static RoundAverage assemble(StateShards shards, List<List<byte[]>> reduced, int layers) {
        List<WorkerRound> workers = new ArrayList<>();
        for (byte[] summary : reduced.get(shards.summaryShard())) {
            workers.add(WorkerRound.decode(summary));
        }
        workers.sort(Comparator.comparingInt(WorkerRound::partition));
        boolean trained = workers.stream().anyMatch(WorkerRound::trained);
        float[] state = new float[trained ? (int) shards.length() : 0];
        Map<Integer, double[]> squares = new HashMap<>();
        for (int shard = 0; shard < shards.shards(); shard++) {
            for (byte[] output : reduced.get(shard)) {
                readShard(output, shards, state, squares, layers);
            }
        }
        Map<Integer, double[]> divergence = new HashMap<>();
        squares.forEach((partition, sums) -> {
            double[] distances = new double[layers];
            for (int layer = 0; layer < layers; layer++) {
                distances[layer] = Math.sqrt(sums[layer]);
            }
            divergence.put(partition, distances);
        });
        return new RoundAverage(state, List.copyOf(workers), Map.copyOf(divergence));
    }

    private static void readShard(byte[] output, StateShards shards, float[] state, Map<Integer, double[]> squares,
                                  int layers) {
        ByteBuffer buffer = Vectors.wrap(output);
        int shard = buffer.getInt();
        int workers = buffer.getInt();
        int from = (int) shards.start(shard);
        int length = (int) (shards.start(shard + 1) - from);
        buffer.asFloatBuffer().get(state, from, length);
        buffer.position(buffer.position() + 4 * length);
        for (int w = 0; w < workers; w++) {
            int partition = buffer.getInt();
            int overlaps = buffer.getInt();
            for (int o = 0; o < overlaps; o++) {
                double[] sums = squares.computeIfAbsent(partition, p -> new double[layers]);
                int layer = buffer.getInt();
                sums[layer] += buffer.getDouble();
            }
        }
    }
}
