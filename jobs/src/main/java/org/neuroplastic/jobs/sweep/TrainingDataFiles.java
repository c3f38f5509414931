package org.neuroplastic.jobs.sweep;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;

/**
 * Parallel mode's data sets as files in the sweep's own folder ({@code <out>/.staging/data-<id>/<n>/}, on
 * whatever file system the sweep's output is), so that no data set passes through the driver: a Spark job
 * sorts the rows by split and row_id and its tasks write them as part files ({@code train/part-NNNNN},
 * {@code test/part-NNNNN}, and {@code validation/part-NNNNN} with {@code data.validation_fraction}: per row the features as float32 then the label as a double, big-endian), which
 * each trial task reads through Hadoop's file system once per executor JVM ({@link TrainingDataCache}).
 * {@link #close} frees the executors' copies and deletes the files before the sweep's folder is committed.
 */
final class TrainingDataFiles implements AutoCloseable {

    static final String TRAIN = DatasetSchema.TRAIN;
    static final String TEST = DatasetSchema.TEST;
    static final String VALIDATION = DatasetSchema.VALIDATION;
    static final String PART = "part-";
    /** About this much per part file: one task writes each, one read of it fills a buffer. */
    static final long PART_BYTES = 64L << 20;
    private static final int MAX_PARTS = 256;

    /**
     * Where one data set's files are and how to read them; travels inside each trial task.
     *
     * @param sweep  the sweep's data folder: what executors' copies are released by
     * @param folder this data set's folder, as a URI
     */
    record Ref(String sweep, String folder, int features, int outputs, boolean classification)
            implements Serializable {
    }

    private final JavaSparkContext sc;
    private final Storage storage;
    private final Location root;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final long partBytes;
    private int written;

    /** @param root an empty folder inside the sweep's output, this sweep attempt's own */
    TrainingDataFiles(SparkSession spark, Location root) {
        this(spark, root, PART_BYTES);
    }

    /** As {@link #TrainingDataFiles(SparkSession, Location)}, with part files of about {@code partBytes}. */
    TrainingDataFiles(SparkSession spark, Location root, long partBytes) {
        this.partBytes = partBytes;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.storage = Storage.of(spark);
        this.root = root;
        this.hadoop = sc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    }

    /** The Hadoop configuration the trial tasks read the files with. */
    Broadcast<SerializableConfiguration> hadoop() {
        return hadoop;
    }

    static long rowBytes(int features) {
        return features * (long) Float.BYTES + Double.BYTES;
    }

    /** Writes {@code data}'s splits from the executors; returns where the trials find them. */
    Ref write(LoadedDataset data) {
        Location folder = root.resolve(Integer.toString(written++));
        int features = data.features();
        long bytes = (data.trainRows() + data.validationRows() + data.testRows()) * rowBytes(features);
        int parts = (int) Math.max(1, Math.min(MAX_PARTS, (bytes + partBytes - 1) / partBytes));
        Dataset<Row> rows = data.rows().select(col(DatasetSchema.SPLIT), col(DatasetSchema.ROW_ID),
                col(DatasetSchema.FEATURES), col(DatasetSchema.LABEL));
        // One part: one task reads every partition, no shuffle. Several: range partitions are consecutive
        // runs of rows.
        rows = parts == 1 ? rows.coalesce(1)
                : rows.repartitionByRange(parts, col(DatasetSchema.SPLIT), col(DatasetSchema.ROW_ID));
        String uri = folder.uri();
        Broadcast<SerializableConfiguration> conf = hadoop;
        sc.setJobDescription("sweep data " + data.source());
        rows.sortWithinPartitions(DatasetSchema.SPLIT, DatasetSchema.ROW_ID)
                .foreachPartition((ForeachPartitionFunction<Row>) it -> writePart(conf.value().value(), uri, features, it));
        sc.setJobDescription(null);
        return new Ref(root.uri(), uri, features, data.target().outputs(), data.target().isClassification());
    }

    /** One task: its rows, sorted by split then row_id, into one part file per split it holds. */
    private static void writePart(org.apache.hadoop.conf.Configuration conf, String uri, int features,
                                  Iterator<Row> rows) throws IOException {
        Storage storage = Storage.of(conf);
        Location folder = storage.locate(uri);
        String name = String.format(Locale.ROOT, "%s%05d", PART, TaskContext.getPartitionId());
        String split = null;
        DataOutputStream out = null;
        try {
            while (rows.hasNext()) {
                Row row = rows.next();
                if (!row.getString(0).equals(split)) {
                    if (out != null) {
                        out.close();
                    }
                    split = row.getString(0);
                    out = new DataOutputStream(new BufferedOutputStream(storage.create(folder.resolve(split).resolve(name)),
                            1 << 16));
                }
                List<Float> values = row.getList(2);
                if (values.size() != features) {
                    throw new IOException("row " + row.getLong(1) + " has " + values.size() + " features, not " + features);
                }
                for (Float value : values) {
                    out.writeFloat(value);
                }
                out.writeDouble(row.getDouble(3));
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
    }

    /**
     * Frees the copies executors hold (best effort: one task per task slot, which Spark spreads over the
     * executors; an executor it misses drops them when the next sweep's data arrives, or when it exits;
     * none in local mode, where the executor is this JVM), this JVM's, and deletes the files.
     */
    @Override
    public void close() {
        String sweep = root.uri();
        try {
            if (written > 0 && !sc.isLocal() && !sc.sc().isStopped()) {
                int slots = Math.max(1, sc.defaultParallelism());
                sc.setJobDescription("sweep data release");
                sc.parallelize(IntStream.range(0, slots).boxed().toList(), slots)
                        .foreach(ignored -> TrainingDataCache.release(sweep));
                sc.setJobDescription(null);
            }
        } finally {
            TrainingDataCache.release(sweep);
            hadoop.destroy();
            try {
                storage.delete(root);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the sweep's data files " + root, e);
            }
        }
    }
}
