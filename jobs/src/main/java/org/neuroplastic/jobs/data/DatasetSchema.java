package org.neuroplastic.jobs.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet schema of a data set (docs/SCHEMA.md, section "datasets"): one row per example.
 * Every loader produces rows of exactly this schema, whatever the source format.
 */
public final class DatasetSchema {

    /** Version of this schema, written to docs/SCHEMA.md; bumped on any incompatible change. */
    public static final int VERSION = 1;

    /** {@code long}: the example's index in its data set, unique, 0-based. */
    public static final String ROW_ID = "row_id";
    /** {@code array<float>}: the input features, the same count in every row. */
    public static final String FEATURES = "features";
    /** {@code double}: the class index for classification, the target value for regression. */
    public static final String LABEL = "label";
    /**
     * {@code string}: {@link #TRAIN} or {@link #TEST} as stored; {@link #VALIDATION} for the training rows a loaded
     * data set carves out ({@code data.validation_fraction}), never in a stored data set.
     */
    public static final String SPLIT = "split";
    /** {@code int}: continual-learning task id; 0 outside continual learning. */
    public static final String TASK = "task";

    public static final String TRAIN = "train";
    public static final String TEST = "test";
    public static final String VALIDATION = "validation";

    public static final StructType SCHEMA = new StructType()
            .add(ROW_ID, DataTypes.LongType, false)
            .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add(LABEL, DataTypes.DoubleType, false)
            .add(SPLIT, DataTypes.StringType, false)
            .add(TASK, DataTypes.IntegerType, false);

    private DatasetSchema() {
    }
}
