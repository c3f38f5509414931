package org.neuroplastic.jobs.train;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuroplastic.jobs.trajectory.EncodedRows;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;

import java.util.ArrayList;
import java.util.List;

/** Test access to the rows a master holds on the executors: collected, in order, then released. */
final class TrajectoryRows {

    private TrajectoryRows() {
    }

    static List<TrajectoryRecord> take(ResidentAveragingMaster master) {
        PendingRows pending = master.pendingTrajectory();
        List<TrajectoryRecord> rows = new ArrayList<>();
        for (byte[] batch : pending.batches(JavaSparkContext.fromSparkContext(SparkContext.getOrCreate())).collect()) {
            rows.addAll(EncodedRows.decode(batch));
        }
        if (rows.size() != pending.count()) {
            throw new AssertionError("the master counted " + pending.count() + " pending rows, found " + rows.size());
        }
        pending.release();
        return rows;
    }
}
