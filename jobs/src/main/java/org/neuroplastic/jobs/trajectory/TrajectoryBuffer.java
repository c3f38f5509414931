package org.neuroplastic.jobs.trajectory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trajectory rows collected on the driver, de-duplicated on {@link TrajectoryKey}: a row delivered
 * twice (a retried or speculative task, a re-sent result) is kept once, the first delivery winning.
 * Not thread-safe: the driver adds rows from one thread between rounds.
 */
public final class TrajectoryBuffer {

    private final Map<TrajectoryKey, TrajectoryRecord> rows = new LinkedHashMap<>();
    private long duplicatesDropped;

    /** Adds the rows whose key is new; returns how many were added. */
    public int addAll(Collection<TrajectoryRecord> records) {
        int added = 0;
        for (TrajectoryRecord record : records) {
            if (rows.putIfAbsent(record.key(), record) == null) {
                added++;
            } else {
                duplicatesDropped++;
            }
        }
        return added;
    }

    public int size() {
        return rows.size();
    }

    /** Rows delivered again under a key already held, since the buffer was created. */
    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    /** Returns every row held, in arrival order, and empties the buffer. */
    public List<TrajectoryRecord> drain() {
        List<TrajectoryRecord> drained = new ArrayList<>(rows.values());
        rows.clear();
        return drained;
    }
}
