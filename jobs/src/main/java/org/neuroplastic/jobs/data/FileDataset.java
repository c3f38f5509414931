package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * CSV, LibSVM and IDX data sets, read where they live: the executors open the files through Hadoop's
 * file system (the application's Hadoop configuration travels as one broadcast), text files range by
 * range and an IDX pair whole. A first pass checks every line or record and brings the driver only
 * counts and the first bad line, so errors still name the file and line; a second reads the examples,
 * numbers them in file order, training file first, and one shuffle gathers them into contiguous slices of
 * row ids ({@link ExampleSlice.Boundaries}). The driver never holds the data.
 */
final class FileDataset {

    /**
     * Feature values per partition (about 4 MB of floats; Fashion-MNIST's 70,000 images make 55
     * partitions). It sets where partitions, and so the minibatches cut from them, begin.
     */
    private static final long VALUES_PER_SLICE = 1_000_000;

    private FileDataset() {
    }

    static LoadedDataset load(SparkSession spark, DataSource source, int expectedFeatures) {
        return load(spark, source, expectedFeatures, TextSplit.BYTES);
    }

    /** As {@link #load(SparkSession, DataSource, int)}, text files cut into ranges of {@code textBytes}. */
    static LoadedDataset load(SparkSession spark, DataSource source, int expectedFeatures, long textBytes) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableConfiguration> hadoop =
                sc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
        Storage storage = Storage.of(spark);
        Files files = new Files(sc, hadoop, storage, textBytes);
        if (source instanceof DataSource.Csv csv) {
            ExampleFile train = files.csv(csv.path(), csv.labelColumn(), csv.target());
            ExampleFile test = csv.testPath() == null ? null : files.csv(csv.testPath(), csv.labelColumn(), csv.target());
            return fromFiles(spark, csv.target(), csv.holdOut(), expectedFeatures, train, test);
        }
        if (source instanceof DataSource.LibSvm libSvm) {
            return loadLibSvm(spark, files, libSvm, expectedFeatures);
        }
        DataSource.Idx idx = (DataSource.Idx) source;
        List<IdxExamples.Pair> pairs = new ArrayList<>(List.of(
                new IdxExamples.Pair(idx.images(), idx.labels(), idx.target(), idx.limit())));
        if (idx.testImages() != null) {
            pairs.add(new IdxExamples.Pair(idx.testImages(), idx.testLabels(), idx.target(), idx.testLimit()));
        }
        List<ExampleFile> read = files.idx(pairs);
        return fromFiles(spark, idx.target(), idx.holdOut(), expectedFeatures, read.get(0),
                read.size() > 1 ? read.get(1) : null);
    }

    private static LoadedDataset loadLibSvm(SparkSession spark, Files files, DataSource.LibSvm source,
                                            int expectedFeatures) {
        int limit;
        String limitKey;
        if (source.features() > 0) {
            limit = source.features();
            limitKey = "data.features";
        } else if (expectedFeatures != NetworkConfig.INFERRED) {
            limit = expectedFeatures;
            limitKey = "network.n_in";
        } else {
            limit = 0;
            limitKey = "the highest index used";
        }
        LibSvmExamples format = new LibSvmExamples(source.target());
        TextExamples.ScannedFile train = files.scan(source.path(), format, limit, limitKey);
        TextExamples.ScannedFile test = source.testPath() == null ? null
                : files.scan(source.testPath(), format, limit, limitKey);
        train.requireWithinFeatures();
        if (test != null) {
            test.requireWithinFeatures();
        }
        int features = limit > 0 ? limit : Math.max(train.highestIndex(), test == null ? 0 : test.highestIndex());
        return fromFiles(spark, source.target(), source.holdOut(), expectedFeatures,
                files.examples(train, format, features), test == null ? null : files.examples(test, format, features));
    }

    /**
     * Numbers the examples (training file first), puts them in a split (the test file's, or by
     * {@code holdOut}) and checks what the parsers could not: counts against the network and emptiness.
     */
    private static LoadedDataset fromFiles(SparkSession spark, Target target, DataSource.HoldOut holdOut,
                                           int expectedFeatures, ExampleFile train, ExampleFile test) {
        requireFeatures(train, expectedFeatures, "network.n_in is " + expectedFeatures);
        if (test != null && train.examples() > 0) {
            requireFeatures(test, train.features(), train.file() + " has " + train.features());
        }
        if (train.examples() == 0) {
            throw new InvalidInputException(train.file() + ": the data set is empty");
        }
        if (test != null && test.examples() == 0) {
            throw new InvalidInputException(test.file() + ": the test file is empty; it must hold at least one row");
        }
        long trainFileRows = train.examples();
        long n = trainFileRows + (test == null ? 0 : test.examples());
        long trainRows = test != null ? trainFileRows : trainRows(holdOut, trainFileRows);
        if (trainRows == 0) {
            throw new InvalidInputException(train.file() + ": no row fell in the train split (" + trainFileRows
                    + " rows, test_fraction " + holdOut.testFraction() + ")");
        }
        long values = n * train.features();
        int slices = (int) Math.max(spark.sparkContext().defaultParallelism(),
                Math.min(n, (values + VALUES_PER_SLICE - 1) / VALUES_PER_SLICE));
        JavaPairRDD<Long, Example> numbered = test == null ? train.numbered()
                : train.numbered().union(test.numbered().mapToPair(e -> new Tuple2<>(e._1() + trainFileRows, e._2())));
        ExampleSlice.Boundaries boundaries = new ExampleSlice.Boundaries(n, slices);
        boolean testFile = test != null;
        long seed = holdOut == null ? 0 : holdOut.seed();
        double testFraction = holdOut == null ? 0 : holdOut.testFraction();
        JavaRDD<ExampleSlice> distributed = numbered.repartitionAndSortWithinPartitions(boundaries)
                .mapPartitionsWithIndex((slice, rows) -> List.of(ExampleSlice.of(boundaries, slice, rows,
                        rowId -> testFile ? rowId >= trainFileRows : RowRandom.uniform(seed, rowId) < testFraction))
                        .iterator(), true);
        Dataset<Row> dataset = spark.createDataFrame(distributed.flatMap(ExampleSlice::rows), DatasetSchema.SCHEMA);
        return new LoadedDataset(dataset, distributed, train.file().toString(), train.features(), target, trainRows, 0,
                n - trainRows, null);
    }

    /** Rows of the train split under the hold-out rule, from the row ids alone: no data needed. */
    private static long trainRows(DataSource.HoldOut holdOut, long rows) {
        long train = 0;
        for (long rowId = 0; rowId < rows; rowId++) {
            train += RowRandom.uniform(holdOut.seed(), rowId) < holdOut.testFraction() ? 0 : 1;
        }
        return train;
    }

    private static void requireFeatures(ExampleFile file, int expected, String expectation) {
        if (expected != NetworkConfig.INFERRED && file.examples() > 0 && file.features() != expected) {
            throw new InvalidInputException(file.file() + ": has " + file.features() + " features per row, but "
                    + expectation);
        }
    }

    /** Where the files are read from, and how text files are cut. */
    private record Files(JavaSparkContext sc, Broadcast<SerializableConfiguration> hadoop, Storage storage,
                         long textBytes) {

        ExampleFile csv(Location file, String labelColumn, Target target) {
            CsvExamples format = CsvExamples.of(file, TextExamples.firstLine(storage, file), labelColumn, target);
            return examples(scan(file, format, 0, null), format, format.features());
        }

        /** The first pass over a text file; fails on its first bad line. */
        TextExamples.ScannedFile scan(Location file, TextExamples.LineFormat format, int limit, String limitKey) {
            TextExamples.ScannedFile scanned = TextExamples.scan(sc, hadoop, storage, file, format, limit, limitKey,
                    textBytes);
            scanned.requireParsed();
            return scanned;
        }

        ExampleFile examples(TextExamples.ScannedFile scanned, TextExamples.LineFormat format, int features) {
            return new ExampleFile(scanned.file(), scanned.examples(), features,
                    scanned.numbered(sc, hadoop, format, features));
        }

        /** Checks every pair in one job, one task each; fails on the first bad pair, in order. */
        List<ExampleFile> idx(List<IdxExamples.Pair> pairs) {
            Broadcast<SerializableConfiguration> conf = hadoop;
            List<IdxExamples.Scan> scans = sc.parallelize(pairs, pairs.size())
                    .map(pair -> IdxExamples.scan(Storage.of(conf.value().value()), pair))
                    .collect();
            List<ExampleFile> files = new ArrayList<>(pairs.size());
            for (int i = 0; i < pairs.size(); i++) {
                IdxExamples.Scan scan = scans.get(i);
                if (scan.error() != null) {
                    throw new InvalidInputException(scan.error());
                }
                IdxExamples.Pair pair = pairs.get(i);
                files.add(new ExampleFile(pair.images(), scan.kept(), scan.pixels(), sc.parallelize(List.of(pair), 1)
                        .flatMapToPair(p -> IdxExamples.examples(Storage.of(conf.value().value()), p))));
            }
            return files;
        }
    }
}
