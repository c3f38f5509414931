package org.neuroplastic.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** A train job's output folder read back, for tests that compare an interrupted run with an uninterrupted one. */
public final class RunOutput {

    /** A trajectory row's key without the run id: the same in two runs of one configuration. */
    private static final String KEY = "concat_ws('/', task, epoch, round, step, worker, layer)";

    private RunOutput() {
    }

    /** Every trajectory row's loss by its key; fails if a key holds more than one row or the rows hold more than one run. */
    public static Map<String, Double> lossByKey(SparkSession spark, Path out) {
        return lossByKey(spark, out.toString());
    }

    /** As {@link #lossByKey(SparkSession, Path)}, for a folder named by a URI of any file system. */
    public static Map<String, Double> lossByKey(SparkSession spark, String out) {
        Dataset<Row> rows = spark.read().parquet(out + "/trajectories");
        Map<String, Double> byKey = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (Row row : rows.selectExpr(KEY + " AS key", "loss").collectAsList()) {
            if (byKey.put(row.getString(0), row.isNullAt(1) ? null : row.getDouble(1)) != null) {
                duplicates.add(row.getString(0));
            }
        }
        assertThat(duplicates).as("keys with more than one row in %s", out).isEmpty();
        assertThat(byKey).as("trajectory rows in %s", out).isNotEmpty();
        assertThat(rows.select("run_id").distinct().count()).as("runs in %s", out).isEqualTo(1);
        return byKey;
    }

    /** The completed run's final held-out loss. */
    public static double finalTestLoss(SparkSession spark, Path out) {
        return finalTestLoss(spark, out.toString());
    }

    /** As {@link #finalTestLoss(SparkSession, Path)}, for a folder named by a URI of any file system. */
    public static double finalTestLoss(SparkSession spark, String out) {
        return spark.read().parquet(out + "/runs").where(col("status").equalTo("completed"))
                .select("final_test_loss").as(Encoders.DOUBLE()).first();
    }
}
