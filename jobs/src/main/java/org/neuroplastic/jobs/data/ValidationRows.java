package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * Carves the validation split out of a loaded data set's training rows ({@code data.validation_fraction}): a
 * training row is a validation row when {@link #contains} says so, a function of the seed and the row id alone,
 * so the split is the same whatever the partitioning and whichever source the rows came from. Test rows stay
 * test rows. Carving happens before standardization, so the statistics are the remaining training rows'.
 */
final class ValidationRows {

    /** Sets the validation draw apart from the test split's, which is drawn from the same seed and row id. */
    private static final long SALT = 0x2545F4914F6CDD1DL;

    private ValidationRows() {
    }

    /** Whether a training row {@code rowId} falls in the validation split. */
    static boolean contains(DataSource.ValidationSplit split, long rowId) {
        return contains(split.seed(), split.fraction(), rowId);
    }

    private static boolean contains(long seed, double fraction, long rowId) {
        return RowRandom.uniform(seed ^ SALT, rowId) < fraction;
    }

    /** {@code data} with its validation split; fails in one line when no training row would remain. */
    static LoadedDataset carve(LoadedDataset data, DataSource.ValidationSplit split) {
        Dataset<Row> rows;
        JavaRDD<ExampleSlice> slices = null;
        long validationRows;
        // Primitives, not the record, travel to the executors: records are not Serializable.
        long seed = split.seed();
        double fraction = split.fraction();
        if (data.slices() == null) {
            Column draw = udf((UDF1<Long, Boolean>) rowId -> contains(seed, fraction, rowId), DataTypes.BooleanType)
                    .apply(col(DatasetSchema.ROW_ID));
            Column carved = col(DatasetSchema.SPLIT).equalTo(lit(DatasetSchema.TRAIN)).and(draw);
            rows = data.rows().withColumn(DatasetSchema.SPLIT,
                    when(carved, lit(DatasetSchema.VALIDATION)).otherwise(col(DatasetSchema.SPLIT)));
            validationRows = rows.where(col(DatasetSchema.SPLIT).equalTo(DatasetSchema.VALIDATION)).count();
        } else {
            slices = data.slices().map(slice -> slice.withValidation(rowId -> contains(seed, fraction, rowId)));
            validationRows = slices.map(ExampleSlice::validationRows).fold(0L, Long::sum);
            rows = data.rows().sparkSession().createDataFrame(slices.flatMap(ExampleSlice::rows), DatasetSchema.SCHEMA);
        }
        long trainRows = data.trainRows() - validationRows;
        if (trainRows == 0 || validationRows == 0) {
            throw new InvalidInputException(data.source() + ": data.validation_fraction " + split.fraction() + " leaves "
                    + trainRows + " training and " + validationRows + " validation rows of " + data.trainRows()
                    + "; each split needs at least one");
        }
        return new LoadedDataset(rows, slices, data.source(), data.features(), data.target(), trainRows,
                validationRows, data.testRows(), data.standardization());
    }
}
