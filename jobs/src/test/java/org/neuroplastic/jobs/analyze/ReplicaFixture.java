package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.results.ResultWriter;
import scala.collection.JavaConverters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small sweep's folder in the sweep job's layout, with replicas, whose statistics {@link ReplicaStatisticsTest}
 * works out by hand: {@code network.variant} swept over three settings, 3 replicas each (seeds 7, 8, 9), a
 * regression (no accuracy), no trajectories.
 *
 * <pre>
 * trial  setting  variant  replica seed  status   held-out loss epoch 1, 2
 * t0000  0        dense    0       7     ok       6, 4
 * t0001  0        dense    1       8     ok       8, 5
 * t0002  0        dense    2       9     ok       7, 6
 * t0003  1        plastic  0       7     ok       5, 3
 * t0004  1        plastic  1       8     ok       6, 3.5
 * t0005  1        plastic  2       9     failed   (no run)
 * t0006  2        sparse   0       7     ok       5, 4.5
 * t0007  2        sparse   1       8     failed   (no run)
 * t0008  2        sparse   2       9     stopped  9 (stopped by successive halving after epoch 1)
 * </pre>
 * The sweep's {@code config.yaml} has one rung, after epoch 1.
 */
public final class ReplicaFixture {

    private static final String[] VARIANTS = {"dense", "plastic", "sparse"};
    private static final String[][] STATUS = {{"completed", "completed", "completed"}, {"completed", "completed", "failed"}, {"completed", "failed", "stopped"}};
    private static final double[][][] LOSSES = {
            {{6, 4}, {8, 5}, {7, 6}},
            {{5, 3}, {6, 3.5}, {}},
            {{5, 4.5}, {}, {9}}};

    private ReplicaFixture() {
    }

    public static void write(SparkSession spark, Path in) throws IOException {
        List<Row> trials = new ArrayList<>();
        List<Row> runs = new ArrayList<>();
        List<Row> evaluations = new ArrayList<>();
        for (int setting = 0; setting < VARIANTS.length; setting++) {
            for (int replica = 0; replica < 3; replica++) {
                String trial = "t%04d".formatted(setting * 3 + replica);
                String status = STATUS[setting][replica];
                double[] losses = LOSSES[setting][replica];
                String run = losses.length == 0 ? null : "run-" + trial;
                long seed = 7 + replica;
                Double last = losses.length == 0 ? null : losses[losses.length - 1];
                trials.add(RowFactory.create("s1", trial, setting, replica,
                        "{\"network.variant\":\"" + VARIANTS[setting] + "\"}", VARIANTS[setting], seed, run, status,
                        "failed".equals(status) ? "boom" : null, losses.length, "test_loss", last, last, 1.0));
                if (run == null) {
                    continue;
                }
                Timestamp started = new Timestamp(1_700_000_000_000L + (setting * 3L + replica) * 1000);
                runs.add(RowFactory.create(run, trial, "completed", started, started,
                        "network: {variant: " + VARIANTS[setting] + "}\ntraining: {epochs: 2}\n", seed, "single_task",
                        "local[2]", JavaConverters.mapAsScalaMap(Map.of("spark", "3.5.9")), losses.length, 1.0, null,
                        last, last, null, null, ResultWriter.SCHEMA_VERSION));
                for (int e = 0; e < losses.length; e++) {
                    evaluations.add(RowFactory.create(run, trial, e + 1, 0, 0, "test", 100L, losses[e], null));
                }
            }
        }
        StructType schema = new StructType()
                .add("sweep_id", DataTypes.StringType)
                .add("trial_id", DataTypes.StringType)
                .add("setting", DataTypes.IntegerType)
                .add("replica", DataTypes.IntegerType)
                .add("parameters", DataTypes.StringType)
                .add("network_variant", DataTypes.StringType)
                .add("seed", DataTypes.LongType)
                .add("run_id", DataTypes.StringType)
                .add("status", DataTypes.StringType)
                .add("error", DataTypes.StringType)
                .add("epochs_completed", DataTypes.IntegerType)
                .add("metric", DataTypes.StringType)
                .add("final_metric", DataTypes.DoubleType)
                .add("best_metric", DataTypes.DoubleType)
                .add("wall_seconds", DataTypes.DoubleType);
        spark.createDataFrame(trials, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .parquet(in.resolve(AnalysisInputs.TRIALS).toString());
        spark.createDataFrame(runs, ResultWriter.RUNS_SCHEMA).write().mode(SaveMode.Append).partitionBy("run_id")
                .parquet(in.resolve(ResultWriter.RUNS).toString());
        spark.createDataFrame(evaluations, ResultWriter.EVALUATIONS_SCHEMA).write().mode(SaveMode.Append)
                .partitionBy("run_id").parquet(in.resolve(ResultWriter.EVALUATIONS).toString());
        Files.writeString(in.resolve(SweepMetric.EFFECTIVE_CONFIG),
                "base: conf/quickstart.yaml\nmethod: grid\nreplicas: 3\nmetric: {name: test_loss, goal: minimize}\n"
                        + "early_stop: {rungs: 1, reduction_factor: 2, min_epochs: 1}\n");
    }
}
