package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What one task of parallel mode sends back: the segment's trajectory rows and evaluations, the network
 * state when a later rung follows, or the failure's message. Travels as bytes (Java serialization), so
 * task results need no Kryo registration.
 *
 * @param lastStep       minibatches fitted so far by the trial
 * @param finalTrainLoss mean training loss of the segment's last epoch
 * @param error          null unless training threw or diverged
 * @param diverged       whether training stopped because its loss or state became NaN or infinite
 */
record TrialProgress(String trialId, String executorId, int epochsDone, long lastStep,
                     List<TrajectoryRecord> trajectory, List<EpochEvaluation> evaluations, Double finalTrainLoss,
                     byte[] state, String error, boolean diverged, long wallNanos) implements Serializable {

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TrialProgress decode(byte[] encoded) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(encoded))) {
            return (TrialProgress) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
