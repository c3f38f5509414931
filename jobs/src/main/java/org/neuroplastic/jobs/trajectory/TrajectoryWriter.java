package org.neuroplastic.jobs.trajectory;

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
    public static final int SCHEMA_VERSION = 1;

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
            field("scaling_mean", DataTypes.DoubleType, true),
            field("scaling_min", DataTypes.DoubleType, true),
            field("scaling_max", DataTypes.DoubleType, true),
            field("activity_mean", DataTypes.DoubleType, true),
            field("activity_std", DataTypes.DoubleType, true),
            field("threshold_mean", DataTypes.DoubleType, true),
            field("weight_norm", DataTypes.DoubleType, false),
            field("worker_divergence", DataTypes.DoubleType, true),
            field("wall_ms", DataTypes.LongType, false),
    });

    private final SparkSession spark;

    public TrajectoryWriter(SparkSession spark) {
        this.spark = spark;
    }

    /** Appends the rows to {@code <out>/trajectories/}; does nothing for an empty list. */
    public void append(List<TrajectoryRecord> records, Location out) {
        if (records.isEmpty()) {
            return;
        }
        toDataFrame(records)
                .write()
                .mode(SaveMode.Append)
                .partitionBy("run_id")
                .parquet(out.resolve(FOLDER).uri());
    }

    /** The rows as a DataFrame with {@link #SCHEMA}. */
    public Dataset<Row> toDataFrame(List<TrajectoryRecord> records) {
        List<Row> rows = new ArrayList<>(records.size());
        for (TrajectoryRecord r : records) {
            rows.add(RowFactory.create(r.runId(), r.trialId(), r.task(), r.epoch(), r.round(), r.step(), r.worker(),
                    r.executorId(), r.layer(), r.loss(), r.hebbianNorm(), r.alphaMeanAbs(), r.maskDensity(),
                    r.pruned(), r.regrown(), r.scalingMean(), r.scalingMin(), r.scalingMax(), r.activityMean(),
                    r.activityStd(), r.thresholdMean(), r.weightNorm(), r.workerDivergence(), r.wallMs()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
