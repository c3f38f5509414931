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
 * What one task of parallel mode makes: the segment's trajectory rows and evaluations, the network state
 * when a later rung follows, or the failure's message. The driver receives it without the rows
 * ({@link #withoutRows()}), which stay on the executors until they are written. Travels as bytes (Java
 * serialization), so task results need no Kryo registration.
 *
 * @param trajectory     the segment's rows; empty once they travel apart
 * @param rows           how many rows the segment made
 * @param lastStep       minibatches fitted so far by the trial
 * @param finalTrainLoss mean training loss of the segment's last epoch
 * @param error          null unless training threw or diverged
 * @param diverged       whether training stopped because its loss or state became NaN or infinite
 */
record TrialProgress(String trialId, String executorId, int epochsDone, long lastStep,
                     List<TrajectoryRecord> trajectory, long rows, List<EpochEvaluation> evaluations,
                     Double finalTrainLoss, byte[] state, String error, boolean diverged, long wallNanos)
        implements Serializable {

    /** This progress without its rows, which travel apart; {@link #rows()} still counts them. */
    TrialProgress withoutRows() {
        return new TrialProgress(trialId, executorId, epochsDone, lastStep, List.of(), rows, evaluations,
                finalTrainLoss, state, error, diverged, wallNanos);
    }

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
