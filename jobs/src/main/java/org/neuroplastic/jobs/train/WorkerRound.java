package org.neuroplastic.jobs.train;

import org.deeplearning4j.spark.api.TrainingResult;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.neuroplastic.jobs.data.Vectors;
import org.neuroplastic.jobs.trajectory.EncodedRows;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What one worker (one partition) did in one averaging round, apart from its state (which the round's
 * reducers average, see {@link StateShards}) and its trajectory rows (which stay on the executors): a few
 * scalars. A task encodes it as bytes so that its size and speed do not depend on which serializer the
 * application configured. The rows travel beside it, in the same reducer, as a rows record
 * ({@link #encodeRows}), told apart by a negative first integer where a summary has its partition.
 *
 * @param partition       the partition (= worker) index
 * @param executorId      Spark executor that ran the task ("driver" in local mode)
 * @param minibatches     minibatches fitted in this round; 0 when the partition had none left
 * @param examples        examples in those minibatches
 * @param lossSum         sum of the minibatch losses (DL4J's score of each fit)
 * @param fitNanos        time spent inside {@code MultiLayerNetwork.fit}, summed over the minibatches
 * @param nonFiniteStep   the first step whose loss was not finite; -1 when every loss was
 * @param drift           per layer index, the distance of the worker's layer state at the end of the round
 *                        from the round's broadcast state; empty when trajectories are off
 * @param online          in an online stream, the worker's predictions of its minibatches, each made just
 *                        before it learned from it; {@link Predictions#NONE} otherwise
 */
public record WorkerRound(int partition, String executorId, int minibatches, long examples, double lossSum,
                          long fitNanos, long nonFiniteStep, double[] drift, Predictions online)
        implements TrainingResult {

    private static final int ROWS = -1;

    public boolean trained() {
        return minibatches > 0;
    }

    public double meanLoss() {
        return minibatches == 0 ? Double.NaN : lossSum / minibatches;
    }

    /** DL4J's TrainingMaster API carries per-worker statistics this way; this master collects none. */
    @Override
    public void setStats(SparkTrainingStats sparkTrainingStats) {
        throw new UnsupportedOperationException("ResidentAveragingMaster does not collect DL4J training stats");
    }

    byte[] encode() {
        byte[] executor = executorId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = Vectors.allocate(4 + 4 + executor.length + 4 + 8 + 8 + 8 + 8 + 4 + 8 * drift.length
                + 8 + 8 + 8);
        buffer.putInt(partition).putInt(executor.length).put(executor).putInt(minibatches).putLong(examples)
                .putDouble(lossSum).putLong(fitNanos).putLong(nonFiniteStep).putInt(drift.length);
        for (double d : drift) {
            buffer.putDouble(d);
        }
        buffer.putLong(online.examples()).putLong(online.correct()).putDouble(online.lossSum());
        return buffer.array();
    }

    /** A worker whose partition had no minibatch left for the round. */
    static WorkerRound idle(int partition, String executorId) {
        return new WorkerRound(partition, executorId, 0, 0, 0.0, 0, -1, new double[0], Predictions.NONE);
    }

    static WorkerRound decode(byte[] bytes) {
        ByteBuffer buffer = Vectors.wrap(bytes);
        int partition = buffer.getInt();
        byte[] executor = new byte[buffer.getInt()];
        buffer.get(executor);
        int minibatches = buffer.getInt();
        long examples = buffer.getLong();
        double lossSum = buffer.getDouble();
        long fitNanos = buffer.getLong();
        long nonFiniteStep = buffer.getLong();
        double[] drift = new double[buffer.getInt()];
        for (int i = 0; i < drift.length; i++) {
            drift[i] = buffer.getDouble();
        }
        Predictions online = new Predictions(buffer.getLong(), buffer.getLong(), buffer.getDouble());
        return new WorkerRound(partition, new String(executor, StandardCharsets.UTF_8), minibatches, examples,
                lossSum, fitNanos, nonFiniteStep, drift, online);
    }

    /** Trajectory rows as a record that travels with the summaries. */
    static byte[] encodeRows(List<TrajectoryRecord> rows) {
        byte[] encoded = EncodedRows.encode(rows);
        return Vectors.allocate(4 + encoded.length).putInt(ROWS).put(encoded).array();
    }

    /** Whether a record of the summary reducer is rows rather than a worker's summary. */
    static boolean isRows(byte[] record) {
        return Vectors.wrap(record).getInt() == ROWS;
    }

    /** The {@link EncodedRows} of a rows record. */
    static byte[] rowsOf(byte[] record) {
        return Arrays.copyOfRange(record, 4, record.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerRound w && partition == w.partition && executorId.equals(w.executorId)
                && minibatches == w.minibatches && examples == w.examples
                && Double.compare(lossSum, w.lossSum) == 0 && fitNanos == w.fitNanos
                && nonFiniteStep == w.nonFiniteStep && Arrays.equals(drift, w.drift) && online.equals(w.online);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(partition) + Arrays.hashCode(drift);
    }

    @Override
    public String toString() {
        return "WorkerRound[partition=" + partition + ", executor=" + executorId + ", minibatches=" + minibatches
                + ", examples=" + examples + ", lossSum=" + lossSum + ", drift=" + Arrays.toString(drift)
                + ", online=" + online + "]";
    }
}
