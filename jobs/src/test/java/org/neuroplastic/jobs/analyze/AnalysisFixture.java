package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import scala.collection.JavaConverters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small, fixed results folder whose analysis is worked out by hand in {@link AnalyzeJobTest}.
 *
 * <pre>
 * run   trial  held-out loss by epoch (test split, task 0 unless said)   accuracy
 * a0    t1     (failed before its first evaluation; started first)
 * a     t1     1: 10   2: 6   3: 4   4: 5   (+ a train-split row of 100) 0.5 0.6 0.7 0.65
 * b     t2     1: 8    2: 8   3: 8                                    null
 * c     t3     1: 3 (task 0, 100 ex.)  2: 2 (task 0, 100 ex.) + 5 (task 1, 300 ex.)
 *
 * averaged trajectory rows (worker "avg"):
 * a layer 0  steps 10/20/30  pruned=regrown 3/2/1   last: H 2.5  mask 0.5  scaling 1.2  activity 0.4
 * a layer 1  steps 10/20/30  pruned=regrown 1/1/1   last: H 1.5  mask 0.5  scaling 0.7  activity 0.6
 * a layer 2  output layer: plasticity null
 * b layer 0  steps 5/10      pruned=regrown 0/4     last: H 1.0  mask 0.25 scaling 0.9  activity 0.3
 * plus worker rows that must be ignored (pruned 100, H 99)
 *
 * trials (plasticity.eta, plasticity.rule, status, final metric, run):
 *   t1 0.01 oja ok 5.0 a | t2 0.1 oja ok 8.0 b | t3 0.01 hebb ok 4.25 c
 *   t4 0.1 hebb failed null - | t5 0.1 oja stopped 6.0 -
 * </pre>
 */
public final class AnalysisFixture {

    private AnalysisFixture() {
    }

    /** Writes the trajectories, evaluations and runs of a train job's layout, and the trials table if asked. */
    public static void write(SparkSession spark, Path in, boolean withTrials) throws IOException {
        List<Row> trajectories = new ArrayList<>();
        long[] aSteps = {10, 20, 30};
        long[] aLayer0Pruned = {3, 2, 1};
        for (int i = 0; i < 3; i++) {
            boolean last = i == 2;
            trajectories.add(trajectory("a", "t1", i, aSteps[i], "avg", 0, last ? 2.5 : 1.0, 0.5, aLayer0Pruned[i], last ? 1.2 : 1.0, last ? 0.4 : 0.1));
            trajectories.add(trajectory("a", "t1", i, aSteps[i], "avg", 1, last ? 1.5 : 0.5, 0.5, 1L, last ? 0.7 : 1.0, last ? 0.6 : 0.1));
            trajectories.add(trajectory("a", "t1", i, aSteps[i], "avg", 2, null, null, null, null, null));
            trajectories.add(trajectory("a", "t1", i, aSteps[i], "0", 0, 99.0, 0.9, 100L, 3.0, 9.0));
        }
        trajectories.add(trajectory("b", "t2", 0, 5, "avg", 0, 0.2, 0.25, 0L, 1.0, 0.2));
        trajectories.add(trajectory("b", "t2", 1, 10, "avg", 0, 1.0, 0.25, 4L, 0.9, 0.3));
        trajectories.add(trajectory("b", "t2", 1, 10, "1", 0, 99.0, 0.9, 100L, 3.0, 9.0));
        append(spark, trajectories, TrajectoryWriter.SCHEMA, in.resolve(TrajectoryWriter.FOLDER));

        List<Row> evaluations = new ArrayList<>();
        double[] aLoss = {10, 6, 4, 5};
        double[] aAccuracy = {0.5, 0.6, 0.7, 0.65};
        for (int e = 0; e < 4; e++) {
            evaluations.add(evaluation("a", "t1", e + 1, 0, "test", 50, aLoss[e], aAccuracy[e]));
        }
        evaluations.add(evaluation("a", "t1", 4, 0, "train", 200, 100, 0.1));
        for (int e = 1; e <= 3; e++) {
            evaluations.add(evaluation("b", "t2", e, 0, "test", 50, 8, null));
        }
        evaluations.add(evaluation("c", "t3", 1, 0, "test", 100, 3, null));
        evaluations.add(evaluation("c", "t3", 2, 0, "test", 100, 2, null));
        evaluations.add(evaluation("c", "t3", 2, 1, "test", 300, 5, null));
        append(spark, evaluations, ResultWriter.EVALUATIONS_SCHEMA, in.resolve(ResultWriter.EVALUATIONS));

        List<Row> runs = List.of(
                run("a0", "t1", "failed", 0, 1, 0, null),
                run("a", "t1", "completed", 10, 1, 4, 5.0),
                run("b", "t2", "completed", 20, 2, 3, 8.0),
                run("c", "t3", "completed", 30, 3, 2, 4.25));
        append(spark, runs, ResultWriter.RUNS_SCHEMA, in.resolve(ResultWriter.RUNS));

        if (withTrials) {
            // The sweep job's layout: parameters as one JSON object keyed by configuration key, and one
            // string column per swept key.
            StructType schema = new StructType()
                    .add("sweep_id", DataTypes.StringType)
                    .add("trial_id", DataTypes.StringType)
                    .add("setting", DataTypes.IntegerType)
                    .add("replica", DataTypes.IntegerType)
                    .add("parameters", DataTypes.StringType)
                    .add("plasticity_eta", DataTypes.StringType)
                    .add("plasticity_rule", DataTypes.StringType)
                    .add("seed", DataTypes.LongType)
                    .add("run_id", DataTypes.StringType)
                    .add("status", DataTypes.StringType)
                    .add("error", DataTypes.StringType)
                    .add("epochs_completed", DataTypes.IntegerType)
                    .add("metric", DataTypes.StringType)
                    .add("final_metric", DataTypes.DoubleType)
                    .add("best_metric", DataTypes.DoubleType)
                    .add("wall_seconds", DataTypes.DoubleType);
            List<Row> trials = List.of(
                    trial("t1", "a", 0.01, "oja", "completed", null, 4, 5.0, 4.0),
                    trial("t2", "b", 0.1, "oja", "completed", null, 3, 8.0, 8.0),
                    trial("t3", "c", 0.01, "hebb", "completed", null, 2, 4.25, 3.0),
                    trial("t4", null, 0.1, "hebb", "failed", "boom", 0, null, null),
                    trial("t5", null, 0.1, "oja", "stopped", null, 1, 6.0, 6.0));
            spark.createDataFrame(trials, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                    .parquet(in.resolve(AnalysisInputs.TRIALS).toString());
            Files.writeString(in.resolve(SweepMetric.EFFECTIVE_CONFIG),
                    "base: conf/quickstart.yaml\nmethod: grid\nmetric: {name: test_loss, goal: minimize}\n");
        }
        CommitMarker.write(LocalFiles.storage(), LocalFiles.at(in));
    }

    private static Row trajectory(String run, String trial, int round, long step, String worker, int layer, Double hebbian,
                                  Double mask, Long pruned, Double scaling, Double activity) {
        return RowFactory.create(run, trial, 0, 0, round, step, worker, "driver", layer, 1.0, hebbian, 0.01, mask, pruned,
                pruned, pruned == null ? null : 0L, scaling, scaling, scaling, activity, activity == null ? null : 0.0, activity == null ? null : 0.1,
                1.0 + layer, null, null, null, null, null, 5L);
    }

    private static Row evaluation(String run, String trial, int epoch, int task, String split, long examples, double loss,
                                  Double accuracy) {
        return RowFactory.create(run, trial, epoch, task, 0, split, examples, loss, accuracy);
    }

    private static Row run(String run, String trial, String status, long startedSecond, long seed, int epochs, Double finalLoss) {
        Timestamp started = new Timestamp(1_700_000_000_000L + startedSecond * 1000);
        return RowFactory.create(run, trial, status, started, started, "training: {epochs: 4}\n", seed, "resident",
                "local[2]", JavaConverters.mapAsScalaMap(Map.of("spark", "3.5.9")), epochs, 1.0, 10.0, finalLoss,
                finalLoss, null, "failed".equals(status) ? "boom" : null, ResultWriter.SCHEMA_VERSION);
    }

    private static Row trial(String trial, String run, double eta, String rule, String status, String error, int epochs,
                             Double finalMetric, Double bestMetric) {
        String json = "{\"plasticity.eta\": " + eta + ", \"plasticity.rule\": \"" + rule + "\"}";
        return RowFactory.create("s1", trial, 0, 0, json, String.valueOf(eta), rule, 7L, run, status, error, epochs,
                "test_loss", finalMetric, bestMetric, 1.5);
    }

    private static void append(SparkSession spark, List<Row> rows, StructType schema, Path folder) {
        spark.createDataFrame(rows, schema).write().mode(SaveMode.Append).partitionBy("run_id").parquet(folder.toString());
    }
}
