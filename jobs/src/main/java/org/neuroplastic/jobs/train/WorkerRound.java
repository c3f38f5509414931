package org.neuroplastic.jobs.train;

import org.deeplearning4j.spark.api.TrainingResult;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * What one worker (one partition) did in one averaging round, as returned by its task. A task
 * returns it encoded as bytes so that the result's size and speed do not depend on which serializer
 * the application configured. The arrays are not copied again after decoding: treat them as read-only.
 *
 * @param partition    the partition (= worker) index
 * @param executorId   Spark executor that ran the task ("driver" in local mode)
 * @param minibatches  minibatches fitted in this round; 0 when the partition had none left
 * @param examples     examples in those minibatches
 * @param lossSum      sum of the minibatch losses (DL4J's score of each fit)
 * @param fitNanos     time spent inside {@code MultiLayerNetwork.fit}, summed over the minibatches
 * @param parameters   parameters after the round; null when {@code minibatches == 0}
 * @param updaterState updater state after the round; null when not averaged or not kept
 * @param records      this worker's trajectory rows of the round
 */
public record WorkerRound(int partition, String executorId, int minibatches, long examples, double lossSum,
                          long fitNanos, float[] parameters, float[] updaterState, List<TrajectoryRecord> records)
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

    /**
     * Encodes a trained worker's result straight from its network's arrays (one copy each);
     * {@code updaterState} may be null.
     */
    static byte[] encode(int partition, String executorId, int minibatches, long examples, double lossSum,
                         long fitNanos, INDArray parameters, INDArray updaterState, List<TrajectoryRecord> records) {
        byte[] executor = executorId.getBytes(StandardCharsets.UTF_8);
        byte[] rows = serialize(records);
        int parameterLength = parameters == null ? -1 : (int) parameters.length();
        int updaterLength = updaterState == null ? -1 : (int) updaterState.length();
        ByteBuffer buffer = Vectors.allocate(4 + 4 + executor.length + 4 + 8 + 8 + 8 + 4 + 4
                + 4 * Math.max(parameterLength, 0) + 4 * Math.max(updaterLength, 0) + 4 + rows.length);
        buffer.putInt(partition).putInt(executor.length).put(executor).putInt(minibatches).putLong(examples)
                .putDouble(lossSum).putLong(fitNanos).putInt(parameterLength).putInt(updaterLength);
        if (parameters != null) {
            Vectors.put(buffer, parameters);
        }
        if (updaterState != null) {
            Vectors.put(buffer, updaterState);
        }
        buffer.putInt(rows.length).put(rows);
        return buffer.array();
    }

    /** The result of a worker whose partition had no minibatch left for the round. */
    static byte[] encodeIdle(int partition, String executorId) {
        return encode(partition, executorId, 0, 0, 0.0, 0, null, null, List.of());
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
        int parameterLength = buffer.getInt();
        int updaterLength = buffer.getInt();
        float[] parameters = parameterLength < 0 ? null : Vectors.get(buffer, parameterLength);
        float[] updaterState = updaterLength < 0 ? null : Vectors.get(buffer, updaterLength);
        byte[] rows = new byte[buffer.getInt()];
        buffer.get(rows);
        return new WorkerRound(partition, new String(executor, StandardCharsets.UTF_8), minibatches, examples,
                lossSum, fitNanos, parameters, updaterState, deserialize(rows));
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
