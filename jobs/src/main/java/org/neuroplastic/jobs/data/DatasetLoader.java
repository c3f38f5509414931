package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;

import java.util.List;

/**
 * Loads a train job's data from any supported source into rows of {@link DatasetSchema#SCHEMA} and
 * rejects bad data before any training starts. Text and IDX files are parsed on the driver (they are
 * small enough and their errors can then name the file and line); Parquet and synthetic data stay
 * distributed.
 */
public final class DatasetLoader {

    /**
     * Feature values per partition of driver-parsed examples (about 4 MB of floats; Fashion-MNIST's 70,000
     * images make 55 partitions). It sets where partitions, and so the minibatches cut from them, begin.
     */
    private static final long VALUES_PER_SLICE = 1_000_000;

    private DatasetLoader() {
    }

    /**
     * Loads and validates {@code source} as the tasks it is trained in: the tasks of its stream, or one
     * task holding every row when it has none.
     */
    public static TaskData loadTasks(SparkSession spark, DataSource source, int expectedFeatures) {
        return loadTasks(spark, source, expectedFeatures, null);
    }

    /**
     * As {@link #loadTasks(SparkSession, DataSource, int)}, standardizing with {@code recorded} (the
     * statistics a killed run recorded, which its resumption must reuse exactly) instead of computing them
     * again; null computes them when the source asks for standardization.
     */
    public static TaskData loadTasks(SparkSession spark, DataSource source, int expectedFeatures,
                                     Standardization recorded) {
        if (source instanceof DataSource.Streamed streamed) {
            return TaskData.of(load(spark, streamed.source(), expectedFeatures, recorded), streamed.stream());
        }
        return TaskData.single(load(spark, source, expectedFeatures, recorded));
    }

    /**
     * Loads and validates {@code source}, which must not be a stream (see {@link #loadTasks}).
     *
     * @param expectedFeatures the network's input count, or {@link NetworkConfig#INFERRED} to accept the
     *                         data's own (then every row must still have the same count)
     */
    public static LoadedDataset load(SparkSession spark, DataSource source, int expectedFeatures) {
        return load(spark, source, expectedFeatures, null);
    }

    /**
     * Loads and validates {@code source}; when it asks for standardization ({@code data.standardize}),
     * every feature of both splits is standardized, here and only here, so that every way of training
     * (either master, sweeps in both modes, continual streams) reads the same standardized values.
     *
     * @param recorded statistics to standardize with instead of computing them from the training split, or
     *                 null
     */
    public static LoadedDataset load(SparkSession spark, DataSource source, int expectedFeatures,
                                     Standardization recorded) {
        if (source instanceof DataSource.Streamed) {
            throw new IllegalArgumentException("a stream's data is loaded by task: use loadTasks");
        }
        LoadedDataset data = loadAsStored(spark, source, expectedFeatures);
        if (!source.standardize()) {
            if (recorded != null) {
                throw new IllegalArgumentException("statistics given for a source that is not standardized");
            }
            return data;
        }
        if (recorded != null && recorded.features() != data.features()) {
            throw new InvalidInputException(data.source() + ": has " + data.features() + " features per row, but the "
                    + "run's recorded standardization has " + recorded.features());
        }
        return data.standardized(recorded != null ? recorded : Standardization.of(data));
    }

    private static LoadedDataset loadAsStored(SparkSession spark, DataSource source, int expectedFeatures) {
        if (source instanceof DataSource.Parquet parquet) {
            return ParquetDataset.load(spark, parquet, expectedFeatures);
        }
        if (source instanceof DataSource.Synthetic synthetic) {
            return ParquetDataset.validate(SyntheticDataset.generate(spark, synthetic.generator()),
                    "synthetic " + yamlName(synthetic) + " data", synthetic.target(), expectedFeatures);
        }
        Storage storage = Storage.of(spark);
        if (source instanceof DataSource.Csv csv) {
            return fromExamples(spark, csv.target(), csv.holdOut(), expectedFeatures,
                    csv.path(), CsvExamples.read(storage, csv.path(), csv.labelColumn(), csv.target()),
                    csv.testPath(), csv.testPath() == null ? null
                            : CsvExamples.read(storage, csv.testPath(), csv.labelColumn(), csv.target()));
        }
        if (source instanceof DataSource.LibSvm libSvm) {
            return loadLibSvm(spark, storage, libSvm, expectedFeatures);
        }
        DataSource.Idx idx = (DataSource.Idx) source;
        return fromExamples(spark, idx.target(), idx.holdOut(), expectedFeatures,
                idx.images(), IdxExamples.read(storage, idx.images(), idx.labels(), idx.target(), idx.limit()),
                idx.testImages(), idx.testImages() == null ? null
                        : IdxExamples.read(storage, idx.testImages(), idx.testLabels(), idx.target(), idx.testLimit()));
    }

    private static String yamlName(DataSource.Synthetic synthetic) {
        return synthetic.generator().generator().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static LoadedDataset loadLibSvm(SparkSession spark, Storage storage, DataSource.LibSvm source,
                                            int expectedFeatures) {
        List<LibSvmExamples.SparseExample> train = LibSvmExamples.read(storage, source.path(), source.target());
        List<LibSvmExamples.SparseExample> test = source.testPath() == null ? List.of()
                : LibSvmExamples.read(storage, source.testPath(), source.target());
        int features;
        String featuresKey;
        if (source.features() > 0) {
            features = source.features();
            featuresKey = "data.features";
        } else if (expectedFeatures != NetworkConfig.INFERRED) {
            features = expectedFeatures;
            featuresKey = "network.n_in";
        } else {
            features = Math.max(LibSvmExamples.maxIndex(train), LibSvmExamples.maxIndex(test));
            featuresKey = "the highest index used";
        }
        return fromExamples(spark, source.target(), source.holdOut(), expectedFeatures,
                source.path(), LibSvmExamples.densify(train, features, featuresKey),
                source.testPath(), source.testPath() == null ? null
                        : LibSvmExamples.densify(test, features, featuresKey));
    }

    /**
     * Numbers the examples (training file first), puts them in a split (the test file's, or by
     * {@code holdOut}) and checks what the parsers could not: counts against the network and emptiness.
     */
    private static LoadedDataset fromExamples(SparkSession spark, Target target, DataSource.HoldOut holdOut,
                                              int expectedFeatures, Location trainFile, List<Example> train,
                                              Location testFile, List<Example> test) {
        requireFeatures(trainFile, train, expectedFeatures, "network.n_in is " + expectedFeatures);
        if (test != null && !train.isEmpty()) {
            int trainFeatures = train.get(0).features().length;
            requireFeatures(testFile, test, trainFeatures, trainFile + " has " + trainFeatures);
        }
        int n = train.size() + (test == null ? 0 : test.size());
        float[][] features = new float[n][];
        double[] labels = new double[n];
        boolean[] inTest = new boolean[n];
        long trainRows = 0;
        for (int rowId = 0; rowId < train.size(); rowId++) {
            Example example = train.get(rowId);
            features[rowId] = example.features();
            labels[rowId] = example.label();
            inTest[rowId] = test == null && RowRandom.uniform(holdOut.seed(), rowId) < holdOut.testFraction();
            trainRows += inTest[rowId] ? 0 : 1;
        }
        if (test != null) {
            for (int i = 0; i < test.size(); i++) {
                features[train.size() + i] = test.get(i).features();
                labels[train.size() + i] = test.get(i).label();
                inTest[train.size() + i] = true;
            }
        }
        if (train.isEmpty()) {
            throw new InvalidInputException(trainFile + ": the data set is empty");
        }
        if (test != null && test.isEmpty()) {
            throw new InvalidInputException(testFile + ": the test file is empty; it must hold at least one row");
        }
        if (trainRows == 0) {
            throw new InvalidInputException(trainFile + ": no row fell in the train split (" + train.size()
                    + " rows, test_fraction " + holdOut.testFraction() + ")");
        }
        long values = (long) n * features[0].length;
        int slices = (int) Math.max(spark.sparkContext().defaultParallelism(),
                Math.min(n, (values + VALUES_PER_SLICE - 1) / VALUES_PER_SLICE));
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<ExampleSlice> distributed = BroadcastSlices.of(context, ExampleSlice.cut(features, labels, inTest, slices));
        Dataset<Row> dataset = spark.createDataFrame(distributed.flatMap(ExampleSlice::rows), DatasetSchema.SCHEMA);
        return new LoadedDataset(dataset, distributed, trainFile.toString(), features[0].length, target, trainRows,
                n - trainRows, null);
    }

    private static void requireFeatures(Location file, List<Example> examples, int expected, String expectation) {
        if (expected != NetworkConfig.INFERRED && !examples.isEmpty() && examples.get(0).features().length != expected) {
            throw new InvalidInputException(file + ": has " + examples.get(0).features().length
                    + " features per row, but " + expectation);
        }
    }
}
