package org.neuroplastic.jobs.analyze;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one shape of every table of means with intervals ({@code replica_statistics}, {@code online_summary},
 * {@code continual_summary}, ...) and of every table of paired differences: the key columns that say what was
 * summarised, then {@link MeanInterval}'s {@code n, mean, sd, ci_low, ci_high} (a difference table: {@code n,
 * unpaired, mean_difference, sd, ci_low, ci_high}). docs/SCHEMA.md section "analysis" defines the columns once.
 */
final class IntervalTable {

    private IntervalTable() {
    }

    /** {@code keys} followed by the interval's columns. */
    static StructType summarySchema(StructType keys) {
        return keys.add("n", DataTypes.IntegerType, false)
                .add("mean", DataTypes.DoubleType, false)
                .add("sd", DataTypes.DoubleType, true)
                .add("ci_low", DataTypes.DoubleType, true)
                .add("ci_high", DataTypes.DoubleType, true);
    }

    /** {@code keys} followed by a paired difference's columns. */
    static StructType differenceSchema(StructType keys) {
        return keys.add("n", DataTypes.IntegerType, false)
                .add("unpaired", DataTypes.IntegerType, false)
                .add("mean_difference", DataTypes.DoubleType, false)
                .add("sd", DataTypes.DoubleType, true)
                .add("ci_low", DataTypes.DoubleType, true)
                .add("ci_high", DataTypes.DoubleType, true);
    }

    /** A row of a {@link #summarySchema} table. */
    static Row summaryRow(MeanInterval value, Object... keys) {
        return RowFactory.create(concat(keys, value.n(), value.mean(), value.sd(), value.ciLow(), value.ciHigh()));
    }

    /** A row of a {@link #differenceSchema} table; {@code unpaired} counts the replicas left without a partner. */
    static Row differenceRow(MeanInterval difference, int unpaired, Object... keys) {
        return RowFactory.create(concat(keys, difference.n(), unpaired, difference.mean(), difference.sd(),
                difference.ciLow(), difference.ciHigh()));
    }

    private static Object[] concat(Object[] keys, Object... values) {
        Object[] row = new Object[keys.length + values.length];
        System.arraycopy(keys, 0, row, 0, keys.length);
        System.arraycopy(values, 0, row, keys.length, values.length);
        return row;
    }
}
