package org.neuroplastic.jobs.data;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.spark.SparkThrowable;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.udf;

/**
 * Parquet data sets in {@link DatasetSchema}: {@code features} and {@code label} are required;
 * {@code row_id}, {@code split} and {@code task} are filled in when absent. Validation is one
 * aggregation over the data, so it stays distributed.
 */
final class ParquetDataset {

    /** Parquet files begin and end with these four bytes; the footer's length precedes the last four. */
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

    private ParquetDataset() {
    }

    static LoadedDataset load(SparkSession spark, DataSource.Parquet source, int expectedFeatures) {
        requireParquetFiles(Storage.of(spark), source.path());
        try {
            Dataset<Row> raw = spark.read().parquet(source.path().uri());
            return validate(conform(raw, source), source.path().toString(), source.target(), expectedFeatures);
        } catch (Exception e) {
            if (e instanceof AnalysisException || e.getCause() instanceof AnalysisException || isUnreadableFile(e)) {
                throw new InvalidInputException(source.path() + ": not a readable Parquet data set: "
                        + firstLine(deepestMessage(e)));
            }
            throw e;
        }
    }

    /**
     * Checks what Spark would read of a data set (every file not hidden by a leading {@code .} or
     * {@code _}) for Parquet's framing: the magic number {@code PAR1} at both ends and a footer that fits.
     * A truncated or foreign file then fails here, in one line, instead of in a Spark task whose failure
     * Spark logs with its stack trace. Reads 12 bytes per file, wherever the files are.
     */
    private static void requireParquetFiles(Storage storage, Location root) {
        try {
            SortedMap<String, Long> files = new TreeMap<>();
            if (storage.isFile(root)) {
                files.put(root.name(), storage.size(root));
                root = root.parent();
            } else {
                files.putAll(storage.filesBelow(root));
            }
            for (Map.Entry<String, Long> entry : files.entrySet()) {
                if (!visible(entry.getKey())) {
                    continue;
                }
                Location file = root.below(entry.getKey());
                long size = entry.getValue();
                byte[] head = new byte[4];
                byte[] tail = new byte[8];
                if (size >= 12) {
                    try (FSDataInputStream in = storage.open(file)) {
                        in.readFully(0, head);
                        in.readFully(size - 8, tail);
                    }
                }
                long footer = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                if (size < 12 || !Arrays.equals(head, PARQUET_MAGIC)
                        || !Arrays.equals(Arrays.copyOfRange(tail, 4, 8), PARQUET_MAGIC) || footer > size - 12) {
                    throw new InvalidInputException(file + ": not a Parquet file (" + size + " bytes without Parquet's "
                            + "PAR1 framing at both ends): truncated, or another format under a Parquet name");
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(root + ": cannot read: " + e.getMessage());
        }
    }

    /** Spark skips files and folders whose names start with {@code .} or {@code _} (checksums, _SUCCESS). */
    private static boolean visible(String relative) {
        for (String name : relative.split("/")) {
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    /** Whether a Spark failure comes from a file that is not readable Parquet (footer or page). */
    private static boolean isUnreadableFile(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SparkThrowable spark && spark.getErrorClass() != null
                    && (spark.getErrorClass().startsWith("CANNOT_READ_FILE_FOOTER")
                    || spark.getErrorClass().startsWith("FAILED_READ_FILE"))) {
                return true;
            }
            if (cause.getClass().getName().startsWith("org.apache.parquet.")) {
                return true;
            }
        }
        return false;
    }

    private static String deepestMessage(Throwable e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() != null ? deepest.getMessage() : e.getMessage();
    }

    /** Casts and fills in the columns so that the rows have exactly {@link DatasetSchema#SCHEMA}. */
    private static Dataset<Row> conform(Dataset<Row> raw, DataSource.Parquet source) {
        String path = source.path().toString();
        StructField features = field(raw, DatasetSchema.FEATURES, path);
        StructField label = field(raw, DatasetSchema.LABEL, path);
        Column featureColumn;
        if (features.dataType() instanceof ArrayType array && array.elementType() instanceof NumericType) {
            featureColumn = col(DatasetSchema.FEATURES).cast(DataTypes.createArrayType(DataTypes.FloatType));
        } else if (features.dataType().equals(SQLDataTypes.VectorType())) {
            featureColumn = org.apache.spark.ml.functions.vector_to_array(col(DatasetSchema.FEATURES), "float32");
        } else {
            throw new InvalidInputException(path + ": column features must be an array of numbers or a vector, found "
                    + features.dataType().simpleString());
        }
        if (!(label.dataType() instanceof NumericType)) {
            throw new InvalidInputException(path + ": column label must be numeric, found " + label.dataType().simpleString());
        }
        Column rowId = has(raw, DatasetSchema.ROW_ID) ? col(DatasetSchema.ROW_ID).cast(DataTypes.LongType)
                : monotonically_increasing_id();
        Dataset<Row> withId = raw.withColumn(DatasetSchema.ROW_ID, rowId);
        Column split = has(raw, DatasetSchema.SPLIT) ? col(DatasetSchema.SPLIT).cast(DataTypes.StringType)
                : holdOut(source.holdOut()).apply(col(DatasetSchema.ROW_ID));
        Column task = has(raw, DatasetSchema.TASK) ? col(DatasetSchema.TASK).cast(DataTypes.IntegerType) : lit(0);
        return withId.select(
                col(DatasetSchema.ROW_ID),
                featureColumn.as(DatasetSchema.FEATURES),
                col(DatasetSchema.LABEL).cast(DataTypes.DoubleType).as(DatasetSchema.LABEL),
                split.as(DatasetSchema.SPLIT),
                task.as(DatasetSchema.TASK));
    }

    private static UserDefinedFunction holdOut(DataSource.HoldOut holdOut) {
        long seed = holdOut.seed();
        double fraction = holdOut.testFraction();
        return udf((UDF1<Long, String>) rowId -> RowRandom.uniform(seed, rowId) < fraction
                ? DatasetSchema.TEST : DatasetSchema.TRAIN, DataTypes.StringType);
    }

    /**
     * Checks every row in one pass and fails naming the first bad {@code row_id} found; returns the
     * rows with their counts.
     */
    static LoadedDataset validate(Dataset<Row> rows, String source, Target target, int expectedFeatures) {
        String inf = "CAST('Infinity' AS DOUBLE)";
        String badFeature = "features IS NULL OR exists(features, x -> x IS NULL OR isnan(x) OR abs(x) = " + inf + ")";
        String badLabel = "label IS NULL OR isnan(label) OR abs(label) = " + inf
                + (target.isClassification()
                ? " OR label < 0 OR label >= " + target.classes() + " OR label != floor(label)" : "");
        Row summary = rows.agg(
                expr("count(*)"),
                expr("count_if(split = 'train')"),
                expr("min(size(features))"),
                expr("max(size(features))"),
                expr("min_by(row_id, size(features))"),
                expr("min(CASE WHEN " + badFeature + " THEN row_id END)"),
                expr("min(CASE WHEN " + badLabel + " THEN row_id END)"),
                expr("min(CASE WHEN split IS NULL OR split NOT IN ('train', 'test') THEN row_id END)"),
                expr("min(CASE WHEN row_id IS NULL OR task IS NULL OR task < 0 THEN 0 END)"),
                expr("count(DISTINCT row_id)"),
                expr("min(CASE WHEN " + badLabel + " THEN label END)")).first();
        long count = summary.getLong(0);
        if (count == 0) {
            throw new InvalidInputException(source + ": the data set is empty");
        }
        if (!summary.isNullAt(5)) {
            throw new InvalidInputException(source + ": row_id " + summary.getLong(5)
                    + " has a missing, NaN or infinite feature value");
        }
        int minFeatures = summary.getInt(2);
        int maxFeatures = summary.getInt(3);
        if (minFeatures != maxFeatures) {
            throw new InvalidInputException(source + ": row_id " + summary.getLong(4) + " has " + minFeatures
                    + " features while other rows have up to " + maxFeatures);
        }
        if (expectedFeatures != NetworkConfig.INFERRED && minFeatures != expectedFeatures) {
            throw new InvalidInputException(source + ": has " + minFeatures + " features per row, but network.n_in is "
                    + expectedFeatures);
        }
        if (minFeatures == 0) {
            throw new InvalidInputException(source + ": rows have no features");
        }
        if (!summary.isNullAt(6)) {
            String found = summary.isNullAt(10) ? "nothing" : TextSource.format(summary.getDouble(10));
            throw new InvalidInputException(source + ": row_id " + summary.getLong(6) + ": the label must be "
                    + (target.isClassification() ? "a class index in [0, " + target.classes() + ")" : "a finite number")
                    + ", found " + found);
        }
        if (!summary.isNullAt(7)) {
            throw new InvalidInputException(source + ": row_id " + summary.getLong(7)
                    + ": split must be train or test");
        }
        if (!summary.isNullAt(8)) {
            throw new InvalidInputException(source + ": some rows have no row_id or no valid task (task must be >= 0)");
        }
        if (summary.getLong(9) != count) {
            throw new InvalidInputException(source + ": row_id is not unique (" + summary.getLong(9) + " distinct in "
                    + count + " rows)");
        }
        long trainRows = summary.getLong(1);
        if (trainRows == 0) {
            throw new InvalidInputException(source + ": no row is in the train split (" + count + " rows)");
        }
        return new LoadedDataset(rows, null, source, minFeatures, target, trainRows, 0, count - trainRows, null);
    }

    private static StructField field(Dataset<Row> raw, String name, String path) {
        if (!has(raw, name)) {
            throw new InvalidInputException(path + ": no column " + name + " (columns: "
                    + String.join(", ", raw.columns()) + ")");
        }
        return raw.schema().apply(name);
    }

    private static boolean has(Dataset<Row> raw, String name) {
        return Arrays.asList(raw.columns()).contains(name);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
