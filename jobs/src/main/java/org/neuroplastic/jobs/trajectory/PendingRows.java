package org.neuroplastic.jobs.trajectory;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Trajectory rows made on the executors and not yet written: cached blocks of {@link EncodedRows} (one
 * per averaging round), held where the tasks that made them ran, plus at most one round's rows made on the
 * driver. The driver holds only the handles and a count, so what it holds does not grow with the number of
 * workers or steps. {@link TrajectoryWriter#append(PendingRows, org.neuroplastic.jobs.storage.Location)}
 * writes them from the executors; {@link #release()} frees the blocks.
 */
public final class PendingRows {

    private final List<JavaRDD<?>> cached = new ArrayList<>();
    private final List<JavaRDD<byte[]>> batches = new ArrayList<>();
    private List<TrajectoryRecord> onDriver = List.of();
    private long count;

    /**
     * Adds {@code count} rows: {@code rows} is a view, as {@link EncodedRows} batches, of the persisted RDD
     * {@code cache}, which {@link #release()} unpersists.
     */
    public void addCached(JavaRDD<?> cache, JavaRDD<byte[]> rows, long count) {
        cached.add(cache);
        batches.add(rows);
        this.count += count;
    }

    /** Sets the rows made on the driver since the last cached batch (they replace the previous ones). */
    public void setOnDriver(List<TrajectoryRecord> rows) {
        count += rows.size() - onDriver.size();
        onDriver = List.copyOf(rows);
    }

    /** The rows on the driver, which a caller may hand to the executors and then {@link #setOnDriver} empty. */
    public List<TrajectoryRecord> onDriver() {
        return onDriver;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Every row, as batches of {@link EncodedRows}; the cached ones are read where they are. */
    public JavaRDD<byte[]> batches(JavaSparkContext sc) {
        List<JavaRDD<byte[]>> parts = new ArrayList<>(batches);
        if (!onDriver.isEmpty()) {
            parts.add(sc.parallelize(List.of(EncodedRows.encode(onDriver)), 1));
        }
        if (parts.isEmpty()) {
            return sc.emptyRDD();
        }
        // Java cannot make an array of JavaRDD<byte[]>, which JavaSparkContext.union's varargs take.
        @SuppressWarnings("unchecked")
        JavaRDD<byte[]>[] all = parts.toArray(JavaRDD[]::new);
        return sc.union(all);
    }

    /**
     * The rows held so far, handed over to the returned object (which then frees them); this one is left empty,
     * to take the rows made from now on, so that one epoch's rows can be written while the next epoch's are made.
     */
    public PendingRows take() {
        PendingRows taken = new PendingRows();
        taken.cached.addAll(cached);
        taken.batches.addAll(batches);
        taken.onDriver = onDriver;
        taken.count = count;
        cached.clear();
        batches.clear();
        onDriver = List.of();
        count = 0;
        return taken;
    }

    /** Frees the cached blocks and forgets every row. */
    public void release() {
        for (JavaRDD<?> cache : cached) {
            cache.unpersist(false);
        }
        cached.clear();
        batches.clear();
        onDriver = List.of();
        count = 0;
    }
}
