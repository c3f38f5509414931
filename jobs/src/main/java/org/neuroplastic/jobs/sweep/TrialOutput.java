package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.trajectory.EncodedRows;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.util.Arrays;
import java.util.List;

/**
 * The records a parallel-mode trial task outputs, told apart by their first byte: the trial's progress,
 * which the driver collects, and its trajectory rows, which stay in the task's persisted output on the
 * executor until the trial's batch is written from there.
 */
final class TrialOutput {

    private static final byte PROGRESS = 0;
    private static final byte ROWS = 1;

    private TrialOutput() {
    }

    static byte[] progress(TrialProgress progress) {
        return tagged(PROGRESS, progress.encode());
    }

    static byte[] rows(List<TrajectoryRecord> rows) {
        return tagged(ROWS, EncodedRows.encode(rows));
    }

    static boolean isProgress(byte[] record) {
        return record[0] == PROGRESS;
    }

    static boolean isRows(byte[] record) {
        return record[0] == ROWS;
    }

    /** The record without its tag: an encoded {@link TrialProgress} or {@link EncodedRows}. */
    static byte[] content(byte[] record) {
        return Arrays.copyOfRange(record, 1, record.length);
    }

    private static byte[] tagged(byte tag, byte[] content) {
        byte[] record = new byte[content.length + 1];
        record[0] = tag;
        System.arraycopy(content, 0, record, 1, content.length);
        return record;
    }
}
