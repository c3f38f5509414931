package org.neuroplastic.jobs.train;

import org.deeplearning4j.spark.api.TrainingResult;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.data.Vectors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one worker (one partition) did in one averaging round, apart from its state (which the round's
 * reducers average, see {@link StateShards}): a few scalars and, while trajectories travel to the driver,
 * the worker's rows. A task encodes it as bytes so that its size and speed do not depend on which
 * serializer the application configured.
 *
 * @param partition    the partition (= worker) index
 * @param executorId   Spark executor that ran the task ("driver" in local mode)
 * @param minibatches  minibatches fitted in this round; 0 when the partition had none left
 * @param examples     examples in those minibatches
 * @param lossSum      sum of the minibatch losses (DL4J's score of each fit)
 * @param fitNanos     time spent inside {@code MultiLayerNetwork.fit}, summed over the minibatches
 * @param records      this worker's trajectory rows of the round
 */
public record WorkerRound(int partition, String executorId, int minibatches, long examples, double lossSum,
                          long fitNanos, List<TrajectoryRecord> records)
        implements TrainingResult {

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
        byte[] rows = serialize(records);
        ByteBuffer buffer = Vectors.allocate(4 + 4 + executor.length + 4 + 8 + 8 + 8 + 4 + rows.length);
        buffer.putInt(partition).putInt(executor.length).put(executor).putInt(minibatches).putLong(examples)
                .putDouble(lossSum).putLong(fitNanos);
        buffer.putInt(rows.length).put(rows);
        return buffer.array();
    }

    /** A worker whose partition had no minibatch left for the round. */
    static WorkerRound idle(int partition, String executorId) {
        return new WorkerRound(partition, executorId, 0, 0, 0.0, 0, List.of());
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
        byte[] rows = new byte[buffer.getInt()];
        buffer.get(rows);
        return new WorkerRound(partition, new String(executor, StandardCharsets.UTF_8), minibatches, examples,
                lossSum, fitNanos, deserialize(rows));
    }

    private static byte[] serialize(List<TrajectoryRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(records));
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode trajectory rows", e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static List<TrajectoryRecord> deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (List<TrajectoryRecord>) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("could not decode trajectory rows", e);
        }
    }
}
