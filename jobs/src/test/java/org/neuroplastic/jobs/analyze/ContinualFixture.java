package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import scala.collection.JavaConverters;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Continual-learning results (evaluations schema version 2: with {@code trained_task}) whose analysis is worked
 * out by hand in {@link ContinualAnalysisTest}.
 *
 * <pre>
 * run s: 3 tasks, 2 epochs each (task t trains epochs 2t+1, 2t+2), every task evaluated after every epoch.
 *   At each task's last epoch (2, 4, 6) the held-out accuracies are AccuracyMatrixTest's matrix:
 *            task 0  task 1  task 2
 *   after 0   0.90    0.10    0.20
 *   after 1   0.95    0.80    0.30
 *   after 2   0.50    0.70    0.95
 *   At the epochs in between (1, 3, 5) every accuracy is 0.01, and the train split reads 0.02.
 *   ACC 2.15/3, BWT -0.25, f = (0.45, 0.10), F 0.275.
 *   Averaged trajectory rows, 2 rounds per task at steps 10/20 | 30/40 | 50/60:
 *     layer 0 (plastic): pruned = regrown 5,5 | 3,1 | 2,2 ; hebbian_norm 1,2 | 3,4 | 5,6 ;
 *                        scaling_mean 1.0,1.2 | 0.8,1.0 | 1.0,1.0 ; weight_norm 9,10 | 11,12 | 14,15
 *     layer 1 (output):  no plasticity ; weight_norm 3,4 | 5,5 | 5,5
 *   plus worker rows that must be ignored (pruned 100, hebbian 99).
 * run m: 3 tasks, 1 epoch each, no row for task 1 after epoch 3; R = 0.9 0.1 0.1 | 0.8 0.9 0.1 | 0.7 - 0.9
 * run f: 3 tasks, 1 epoch each, failed after training tasks 0 and 1 (every task evaluated): 0.9 0.1 0.1 | 0.6 0.9 0.1
 * run one: a single task (trained_task 0): not continual.
 * </pre>
 */
final class ContinualFixture {

    static final double[][] S_MATRIX = {
        {0.90, 0.10, 0.20},
        {0.95, 0.80, 0.30},
        {0.50, 0.70, 0.95},
    };

    private ContinualFixture() {
    }

    static void write(SparkSession spark, Path in) {
        List<Row> evaluations = new ArrayList<>();
        for (int epoch = 1; epoch <= 6; epoch++) {
            int trained = (epoch - 1) / 2;
            boolean taskEnd = epoch % 2 == 0;
            for (int task = 0; task < 3; task++) {
                evaluations.add(evaluation("s", epoch, task, "test", taskEnd ? S_MATRIX[trained][task] : 0.01, trained));
                evaluations.add(evaluation("s", epoch, task, "train", 0.02, trained));
            }
        }
        double[][] m = {{0.9, 0.1, 0.1}, {0.8, 0.9, 0.1}, {0.7, Double.NaN, 0.9}};
        double[][] f = {{0.9, 0.1, 0.1}, {0.6, 0.9, 0.1}};
        addStream(evaluations, "m", m);
        addStream(evaluations, "f", f);
        evaluations.add(evaluation("one", 1, 0, "test", 0.5, 0));
        evaluations.add(evaluation("one", 2, 0, "test", 0.6, 0));
        append(spark, evaluations, ResultWriter.EVALUATIONS_SCHEMA, in.resolve(ResultWriter.EVALUATIONS));

        List<Row> trajectories = new ArrayList<>();
        long[] pruned = {5, 5, 3, 1, 2, 2};
        double[] scaling = {1.0, 1.2, 0.8, 1.0, 1.0, 1.0};
        double[] weight0 = {9, 10, 11, 12, 14, 15};
        double[] weight1 = {3, 4, 5, 5, 5, 5};
        for (int r = 0; r < 6; r++) {
            int task = r / 2;
            long step = 10L * (r + 1);
            trajectories.add(trajectory("s", task, r, step, "avg", 0, (double) (r + 1), pruned[r], scaling[r], weight0[r]));
            trajectories.add(trajectory("s", task, r, step, "avg", 1, null, null, null, weight1[r]));
            trajectories.add(trajectory("s", task, r, step, "0", 0, 99.0, 100L, 3.0, 99.0));
        }
        append(spark, trajectories, TrajectoryWriter.SCHEMA, in.resolve(TrajectoryWriter.FOLDER));

        append(spark, List.of(run("s", "completed", 6), run("f", "failed", 2), run("one", "completed", 2)),
                ResultWriter.RUNS_SCHEMA, in.resolve(ResultWriter.RUNS));
        try {
            CommitMarker.write(LocalFiles.storage(), LocalFiles.at(in));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One epoch per task; a NaN cell is an evaluation never written. */
    private static void addStream(List<Row> evaluations, String run, double[][] matrix) {
        for (int trained = 0; trained < matrix.length; trained++) {
            for (int task = 0; task < matrix[trained].length; task++) {
                if (!Double.isNaN(matrix[trained][task])) {
                    evaluations.add(evaluation(run, trained + 1, task, "test", matrix[trained][task], trained));
                }
            }
        }
    }

    static Row evaluation(String run, int epoch, int task, String split, double accuracy, int trained) {
        return RowFactory.create(run, null, epoch, task, trained, split, 100L, 1 - accuracy, accuracy);
    }

    private static Row trajectory(String run, int task, int round, long step, String worker, int layer, Double hebbian,
                                  Long pruned, Double scaling, double weightNorm) {
        return RowFactory.create(run, null, task, round, 0, step, worker, "driver", layer, 1.0, hebbian, 0.01,
                hebbian == null ? null : 0.5, pruned, pruned, pruned == null ? null : 0L, scaling, scaling, scaling, null,
                null, null, weightNorm, null, null, null, null, null, 5L);
    }

    static Row run(String run, String status, int epochs) {
        Timestamp started = new Timestamp(1_700_000_000_000L);
        return RowFactory.create(run, null, status, started, started, "training: {epochs: 2}\n", 1L, "resident",
                "local[2]", JavaConverters.mapAsScalaMap(Map.of("spark", "3.5.9")), epochs, 1.0, 10.0, 0.5,
                0.5, 0.5, "failed".equals(status) ? "boom" : null, ResultWriter.SCHEMA_VERSION);
    }

    static void append(SparkSession spark, List<Row> rows, StructType schema, Path folder) {
        spark.createDataFrame(rows, schema).write().mode(SaveMode.Append).partitionBy("run_id").parquet(folder.toString());
    }
}
