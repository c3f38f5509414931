package org.neuroplastic.jobs.train;

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
 * @param nonFiniteParameters how many of the averaged parameters are NaN or infinite, as the reducers counted
 * @param squaredDrift per layer index, the squared distance the averaged parameters moved from the round's
 *                     start, as the reducers measured it (their shares added in shard order); empty when not
 *                     measured
 */
record RoundAverage(float[] state, List<WorkerRound> workers, long nonFiniteParameters, double[] squaredDrift) {

    /** @param reduced the reducers' outputs, by reducer: averaged shards, summaries and rows records */
    static RoundAverage assemble(StateShards shards, List<List<byte[]>> reduced) {
        List<WorkerRound> workers = new ArrayList<>();
        List<byte[]> means = new ArrayList<>();
        for (List<byte[]> output : reduced) {
            for (byte[] record : output) {
                if (ShardMean.isMean(record)) {
                    means.add(record);
                } else if (!WorkerRound.isRows(record)) {
                    workers.add(WorkerRound.decode(record));
                }
            }
        }
        workers.sort(Comparator.comparingInt(WorkerRound::partition));
        boolean trained = workers.stream().anyMatch(WorkerRound::trained);
        float[] state = new float[trained ? (int) shards.length() : 0];
        long nonFinite = 0;
        means.sort(Comparator.comparingInt(ShardMean::shardOf));
        double[] squaredDrift = new double[0];
        for (byte[] mean : means) {
            double[] shardDrift = ShardMean.squaredDriftOf(mean);
            if (squaredDrift.length < shardDrift.length) {
                squaredDrift = new double[shardDrift.length];
            }
            for (int layer = 0; layer < shardDrift.length; layer++) {
                squaredDrift[layer] += shardDrift[layer];
            }
            int shard = ShardMean.shardOf(mean);
            int from = (int) shards.start(shard);
            int length = (int) (shards.start(shard + 1) - from);
            ShardMean.valuesOf(mean).get(state, from, length);
            nonFinite += ShardMean.nonFiniteParametersOf(mean);
        }
        return new RoundAverage(state, List.copyOf(workers), nonFinite, squaredDrift);
    }
}
