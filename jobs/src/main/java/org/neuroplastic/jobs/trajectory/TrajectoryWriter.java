package org.neuroplastic.jobs.trajectory;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes trajectory rows as Parquet under {@code <out>/trajectories/}, partitioned by {@code run_id}.
 * Rows are appended: a run writes its rows in batches (e.g. once per epoch) and several runs share
 * one output folder; refusing an existing output folder is the command line's job.
 */
public final class TrajectoryWriter {

    /** Folder under the job output that holds the trajectories. */
    public static final String FOLDER = "trajectories";

    /** Version of the column layout below; bump it with docs/SCHEMA.md when a column changes. */
    public static final int SCHEMA_VERSION = 4;

    /**
     * Rows per file an executor-side append aims at: one epoch of the README's network (1,875 minibatches of
     * 32 and 3 layers) is 5,625 rows, so ordinary epochs are one file, and a file stays tens of MB.
     */
    public static final long ROWS_PER_FILE = 1_000_000;

    /** The trajectory columns, in order; documented in docs/SCHEMA.md section "trajectories". */
    public static final StructType SCHEMA = new StructType(new StructField[] {
            field("run_id", DataTypes.StringType, false),
            field("trial_id", DataTypes.StringType, true),
            field("task", DataTypes.IntegerType, false),
            field("epoch", DataTypes.IntegerType, false),
            field("round", DataTypes.IntegerType, false),
            field("step", DataTypes.LongType, false),
            field("worker", DataTypes.StringType, false),
            field("executor_id", DataTypes.StringType, true),
            field("layer", DataTypes.IntegerType, false),
            field("loss", DataTypes.DoubleType, true),
            field("hebbian_norm", DataTypes.DoubleType, true),
            field("alpha_mean_abs", DataTypes.DoubleType, true),
            field("mask_density", DataTypes.DoubleType, true),
            field("pruned", DataTypes.LongType, true),
            field("regrown", DataTypes.LongType, true),
            field("units_replaced", DataTypes.LongType, true),
            field("scaling_mean", DataTypes.DoubleType, true),
            field("scaling_min", DataTypes.DoubleType, true),
            field("scaling_max", DataTypes.DoubleType, true),
            field("activity_mean", DataTypes.DoubleType, true),
            field("activity_std", DataTypes.DoubleType, true),
            field("threshold_mean", DataTypes.DoubleType, true),
            field("weight_norm", DataTypes.DoubleType, false),
            field("dead_fraction", DataTypes.DoubleType, true),
            field("effective_rank", DataTypes.DoubleType, true),
            field("mean_abs_weight", DataTypes.DoubleType, true),
            field("drift", DataTypes.DoubleType, true),
            field("worker_divergence", DataTypes.DoubleType, true),
            field("wall_ms", DataTypes.LongType, false),
    });

    private final SparkSession spark;

    public TrajectoryWriter(SparkSession spark) {
        this.spark = spark;
    }

    /** Appends rows built on the driver to {@code <out>/trajectories/}; does nothing for an empty list. */
    public void append(List<TrajectoryRecord> records, Location out) {
        if (records.isEmpty()) {
            return;
        }
        write(toDataFrame(records), out);
    }

    /**
     * Appends rows that are on the executors, each element of {@code batches} a list of rows as
     * {@link EncodedRows} bytes, in at most {@code files} files per run: the rows go from the executors to
     * the file system through Spark's file commit protocol, so a retried task's output is committed once
     * and a failed append leaves no file behind. The driver sees none of them.
     */
    public void append(JavaRDD<byte[]> batches, int files, Location out) {
        JavaRDD<Row> rows = batches.flatMap(bytes -> EncodedRows.decode(bytes).stream()
                .map(TrajectoryWriter::toRow).iterator());
        write(spark.createDataFrame(rows, SCHEMA).coalesce(files), out);
    }

    /** Appends {@code rows} from where they are held, one file per {@link #ROWS_PER_FILE} rows or fewer. */
    public void append(PendingRows rows, Location out) {
        if (!rows.isEmpty()) {
            append(rows.batches(JavaSparkContext.fromSparkContext(spark.sparkContext())), files(rows.count()), out);
        }
    }

    /**
     * Rewrites run {@code runId}'s rows under {@code out} into as few files as they need ({@link #files}),
     * from the executors; a run appended epoch by epoch otherwise keeps a file per epoch. Meant for a run
     * nobody reads meanwhile (a sweep trial's staging folder): the old files are replaced by two renames.
     */
    public void compact(Location out, String runId) {
        Storage storage = Storage.of(spark);
        Location table = out.resolve(FOLDER);
        Location partition = table.resolve("run_id=" + runId);
        Location compacted = table.resolve(".compacted-run_id=" + runId);
        Location replaced = table.resolve(".replaced-run_id=" + runId);
        try {
            if (!storage.isFolder(partition)) {
                return;
            }
            Dataset<Row> rows = spark.read().parquet(partition.uri());
            rows.coalesce(files(rows.count())).write().parquet(compacted.uri());
            storage.rename(partition, replaced);
            storage.rename(compacted, partition);
            storage.delete(replaced);
        } catch (IOException e) {
            throw new UncheckedIOException("could not compact the trajectory rows of run " + runId + " in " + table, e);
        }
    }

    /** The number of files {@code rows} rows take: one per {@link #ROWS_PER_FILE}, at least one. */
    public static int files(long rows) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
    }

    private static void write(Dataset<Row> rows, Location out) {
        rows.write()
                .mode(SaveMode.Append)
                .partitionBy("run_id")
                .parquet(out.resolve(FOLDER).uri());
    }

    /** The rows as a DataFrame with {@link #SCHEMA}. */
    public Dataset<Row> toDataFrame(List<TrajectoryRecord> records) {
        List<Row> rows = new ArrayList<>(records.size());
        for (TrajectoryRecord r : records) {
            rows.add(toRow(r));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Row toRow(TrajectoryRecord r) {
        LayerMetrics m = r.metrics();
        return RowFactory.create(r.runId(), r.trialId(), r.task(), r.epoch(), r.round(), r.step(), r.worker(),
                r.executorId(), m.layer(), r.loss(), m.hebbianNorm(), m.alphaMeanAbs(), m.maskDensity(),
                m.pruned(), m.regrown(), m.unitsReplaced(), m.scalingMean(), m.scalingMin(), m.scalingMax(),
                m.activityMean(), m.activityStd(), m.thresholdMean(), m.weightNorm(), r.deadFraction(),
                r.effectiveRank(), r.meanAbsWeight(), r.drift(), r.workerDivergence(), r.wallMs());
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
