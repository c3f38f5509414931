package org.neuroplastic.jobs.results;

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
import org.neuroplastic.model.network.ConfigName;
import scala.collection.JavaConverters;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends the {@code runs}, {@code evaluations} and {@code standardization} tables as Parquet, partitioned
 * by {@code run_id}.
 */
public final class ResultWriter {

    public static final String RUNS = "runs";
    public static final String EVALUATIONS = "evaluations";
    public static final String STANDARDIZATION = "standardization";
    /** Version of the runs layout (2 renamed {@code master} to {@code averaging}); docs/SCHEMA.md states it. */
    public static final int SCHEMA_VERSION = 2;
    /** Version of the evaluations layout (2 added {@code trained_task}, 3 the split {@code online}); docs/SCHEMA.md states it. */
    public static final int EVALUATIONS_SCHEMA_VERSION = 3;

    public static final StructType RUNS_SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("trial_id", DataTypes.StringType, true),
        field("status", DataTypes.StringType, false),
        field("started_at", DataTypes.TimestampType, false),
        field("ended_at", DataTypes.TimestampType, false),
        field("configuration", DataTypes.StringType, false),
        field("seed", DataTypes.LongType, false),
        field("averaging", DataTypes.StringType, false),
        field("spark_master", DataTypes.StringType, false),
        field("versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false),
        field("epochs_completed", DataTypes.IntegerType, false),
        field("examples_used_fraction", DataTypes.DoubleType, true),
        field("round_overhead_ms", DataTypes.DoubleType, true),
        field("final_train_loss", DataTypes.DoubleType, true),
        field("final_test_loss", DataTypes.DoubleType, true),
        field("final_test_accuracy", DataTypes.DoubleType, true),
        field("error", DataTypes.StringType, true),
        field("schema_version", DataTypes.IntegerType, false),
    });

    /** Version of the standardization layout; docs/SCHEMA.md states it beside the table. */
    public static final int STANDARDIZATION_SCHEMA_VERSION = 1;

    public static final StructType STANDARDIZATION_SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("trial_id", DataTypes.StringType, true),
        field("training_rows", DataTypes.LongType, false),
        field("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        field("std", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        field("schema_version", DataTypes.IntegerType, false),
    });

    public static final StructType EVALUATIONS_SCHEMA = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("trial_id", DataTypes.StringType, true),
        field("epoch", DataTypes.IntegerType, false),
        field("task", DataTypes.IntegerType, false),
        field("trained_task", DataTypes.IntegerType, false),
        field("split", DataTypes.StringType, false),
        field("examples", DataTypes.LongType, false),
        field("loss", DataTypes.DoubleType, false),
        field("accuracy", DataTypes.DoubleType, true),
    });

    private final SparkSession spark;

    public ResultWriter(SparkSession spark) {
        this.spark = spark;
    }

    public void appendRun(RunRecord r, Location out) {
        appendRuns(List.of(r), out);
    }

    /** Appends several runs' rows in one write (a sweep publishes many small trials at once). */
    public void appendRuns(List<RunRecord> records, Location out) {
        if (records.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>(records.size());
        for (RunRecord r : records) {
            rows.add(RowFactory.create(r.runId(), r.trialId(), ConfigName.of(r.status()), Timestamp.from(r.startedAt()),
                    Timestamp.from(r.endedAt()), r.configuration(), r.seed(), r.averaging(), r.sparkMaster(),
                    JavaConverters.mapAsScalaMap(r.versions()), r.epochsCompleted(), r.examplesUsedFraction(),
                    r.roundOverheadMs(), r.finalTrainLoss(), r.finalTestLoss(), r.finalTestAccuracy(), r.error(),
                    SCHEMA_VERSION));
        }
        append(rows, RUNS_SCHEMA, out.resolve(RUNS));
    }

    public void appendEvaluations(List<EvaluationRecord> records, Location out) {
        if (records.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>(records.size());
        for (EvaluationRecord e : records) {
            rows.add(RowFactory.create(e.runId(), e.trialId(), e.epoch(), e.task(), e.trainedTask(), e.split(), e.examples(), e.loss(),
                    e.accuracy()));
        }
        append(rows, EVALUATIONS_SCHEMA, out.resolve(EVALUATIONS));
    }

    /** Appends one row per run with the statistics its features were standardized with. */
    public void appendStandardizations(List<StandardizationRecord> records, Location out) {
        if (records.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>(records.size());
        for (StandardizationRecord r : records) {
            rows.add(RowFactory.create(r.runId(), r.trialId(), r.statistics().trainingRows(), r.statistics().mean(),
                    r.statistics().std(), STANDARDIZATION_SCHEMA_VERSION));
        }
        append(rows, STANDARDIZATION_SCHEMA, out.resolve(STANDARDIZATION));
    }

    private void append(List<Row> rows, StructType schema, Location folder) {
        spark.createDataFrame(rows, schema)
                .coalesce(1)
                .write()
                .mode(SaveMode.Append)
                .partitionBy("run_id")
                .parquet(folder.uri());
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
