package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class DatasetLoaderTest {

    private static final int ANY = NetworkConfig.INFERRED;
    private static final DataSource.HoldOut NO_HOLD_OUT = new DataSource.HoldOut(0.0, 0);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static LoadedDataset csv(Path file, Target target, int nIn) {
        return DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(file), null, "label", target, NO_HOLD_OUT, false), nIn);
    }

    private static List<Row> rows(LoadedDataset data) {
        return data.rows().orderBy(col(DatasetSchema.ROW_ID)).collectAsList();
    }

    private static float[] features(Row row) {
        List<Float> list = row.getList(1);
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        return values;
    }

    // CSV

    @Test
    void csvBecomesRowsWithTheLabelColumnSetApart() throws Exception {
        Path file = write("x.csv", "a,label,\"b\"\n1.5,2,3\n-1,0,4e2\n\n0,1,0\n");
        LoadedDataset data = csv(file, Target.classification(3), ANY);
        assertThat(data.features()).isEqualTo(2);
        assertThat(data.trainRows()).isEqualTo(3);
        assertThat(data.testRows()).isZero();
        List<Row> rows = rows(data);
        assertThat(features(rows.get(0))).containsExactly(1.5f, 3f);
        assertThat(rows.get(0).getDouble(2)).isEqualTo(2.0);
        assertThat(features(rows.get(1))).containsExactly(-1f, 400f);
        assertThat(rows).extracting(r -> r.getString(3)).containsOnly(DatasetSchema.TRAIN);
        assertThat(data.rows().schema()).isEqualTo(DatasetSchema.SCHEMA);
    }

    @Test
    void csvByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        Path file = write("bom.csv", "\uFEFFlabel,a\n1,2\n");
        assertThat(rows(csv(file, Target.regression(), 1)).get(0).getDouble(2)).isEqualTo(1.0);
    }

    @Test
    void csvTestFileBecomesTheTestSplit() throws Exception {
        Path train = write("train.csv", "a,label\n1,0.5\n2,1.5\n");
        Path test = write("test.csv", "a,label\n3,2.5\n");
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.Csv(LocalFiles.at(train), LocalFiles.at(test), "label", Target.regression(), null, false), 1);
        assertThat(data.trainRows()).isEqualTo(2);
        assertThat(data.testRows()).isEqualTo(1);
        assertThat(data.test().collectAsList()).extracting(r -> r.getDouble(2)).containsExactly(2.5);
    }

    @Test
    void holdOutPutsAboutTheConfiguredFractionInTheTestSplit() throws Exception {
        StringBuilder text = new StringBuilder("a,label\n");
        for (int i = 0; i < 2000; i++) {
            text.append(i).append(",0\n");
        }
        Path file = write("many.csv", text.toString());
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.Csv(LocalFiles.at(file), null, "label", Target.regression(), new DataSource.HoldOut(0.3, 5), false), ANY);
        assertThat(data.testRows() / 2000.0).isBetween(0.27, 0.33);
        assertThat(data.trainRows() + data.testRows()).isEqualTo(2000);
    }

    @Test
    void raggedCsvLineIsNamed() throws Exception {
        Path file = write("r.csv", "a,b,label\n1,2,0\n1,2\n");
        assertThatThrownBy(() -> csv(file, Target.regression(), ANY))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ":3: expected 3 fields as in the header, found 2");
    }

    @Test
    void textInANumericColumnIsNamed() throws Exception {
        Path file = write("t.csv", "a,b,label\n1,2,0\n1,two,0\n");
        assertThatThrownBy(() -> csv(file, Target.regression(), ANY))
                .hasMessage(file + ":3: column 'b' must be a number, found 'two'");
    }

    @Test
    void nonFiniteCsvFeatureIsNamed() throws Exception {
        Path file = write("n.csv", "a,b,label\n1,NaN,0\n");
        assertThatThrownBy(() -> csv(file, Target.regression(), ANY))
                .hasMessage(file + ":2: feature column 'b' must be a finite number, found NaN");
        Path inf = write("i.csv", "a,b,label\n1,2,0\n-Infinity,2,0\n");
        assertThatThrownBy(() -> csv(inf, Target.regression(), ANY))
                .hasMessage(inf + ":3: feature column 'a' must be a finite number, found -Infinity");
    }

    @Test
    void emptyCsvIsRejected() throws Exception {
        Path header = write("h.csv", "a,label\n");
        assertThatThrownBy(() -> csv(header, Target.regression(), ANY)).hasMessage(header + ": the data set is empty");
        Path nothing = write("e.csv", "");
        assertThatThrownBy(() -> csv(nothing, Target.regression(), ANY))
                .hasMessage(nothing + ": empty file; expected a header line naming the columns");
    }

    @Test
    void csvWithoutHeaderIsRejected() throws Exception {
        Path file = write("nh.csv", "1,2,0\n");
        assertThatThrownBy(() -> csv(file, Target.regression(), ANY))
                .hasMessage(file + ":1: expected a header line naming the columns, found the number 1");
    }

    @Test
    void missingLabelColumnIsNamed() throws Exception {
        Path file = write("m.csv", "a,target\n1,0\n");
        assertThatThrownBy(() -> csv(file, Target.regression(), ANY))
                .hasMessage(file + ": no label column 'label' in the header (columns: a, target)");
    }

    @Test
    void labelOutsideTheClassesIsNamed() throws Exception {
        Path file = write("l.csv", "a,label\n1,0\n1,3\n");
        assertThatThrownBy(() -> csv(file, Target.classification(3), ANY))
                .hasMessage(file + ":3: the label must be a class index in [0, 3), found 3");
        Path fraction = write("f.csv", "a,label\n1,0.5\n");
        assertThatThrownBy(() -> csv(fraction, Target.classification(3), ANY))
                .hasMessage(fraction + ":2: the label must be a class index in [0, 3), found 0.5");
    }

    @Test
    void featureCountMustMatchTheNetwork() throws Exception {
        Path file = write("c.csv", "a,b,label\n1,2,0\n");
        assertThatThrownBy(() -> csv(file, Target.regression(), 10))
                .hasMessage(file + ": has 2 features per row, but network.n_in is 10");
    }

    @Test
    void shippedDataSetsLoad() {
        Path data = Path.of("..", "data");
        LoadedDataset iris = csv(data.resolve("iris.csv"), Target.classification(3), 4);
        assertThat(iris.trainRows()).isEqualTo(150);
        LoadedDataset digits = csv(data.resolve("digits.csv.gz"), Target.classification(10), 64);
        assertThat(digits.trainRows()).isEqualTo(1797);
        assertThat(csv(data.resolve("wine_data.csv"), Target.classification(3), 13).trainRows()).isEqualTo(178);
        assertThat(csv(data.resolve("breast_cancer.csv"), Target.classification(2), 30).trainRows()).isEqualTo(569);
    }

    // LibSVM

    @Test
    void libSvmIndicesAreOneBasedAndAbsentFeaturesZero() throws Exception {
        Path file = write("x.svm", "1 1:0.5 3:2 # first\n\n0 2:-1\n");
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.LibSvm(LocalFiles.at(file), null, 0, Target.classification(2), NO_HOLD_OUT, false), ANY);
        assertThat(data.features()).isEqualTo(3);
        List<Row> rows = rows(data);
        assertThat(features(rows.get(0))).containsExactly(0.5f, 0f, 2f);
        assertThat(features(rows.get(1))).containsExactly(0f, -1f, 0f);
        assertThat(rows.get(0).getDouble(2)).isEqualTo(1.0);
    }

    @Test
    void libSvmTakesTheNetworksInputCountWhenGiven() throws Exception {
        Path file = write("x.svm", "1 1:0.5\n");
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.LibSvm(LocalFiles.at(file), null, 0, Target.regression(), NO_HOLD_OUT, false), 4);
        assertThat(data.features()).isEqualTo(4);
    }

    @Test
    void libSvmBadLinesAreNamed() throws Exception {
        Path zero = write("z.svm", "1 1:0.5\n0 0:1\n");
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.LibSvm(LocalFiles.at(zero), null, 0, Target.regression(), NO_HOLD_OUT, false), ANY))
                .hasMessage(zero + ":2: feature indices are 1-based, found 0");
        Path beyond = write("b.svm", "1 1:0.5 5:1\n");
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.LibSvm(LocalFiles.at(beyond), null, 0, Target.regression(), NO_HOLD_OUT, false), 3))
                .hasMessage(beyond + ":1: feature index 5 is beyond the 3 features of network.n_in");
        Path text = write("t.svm", "1 1:abc\n");
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.LibSvm(LocalFiles.at(text), null, 0, Target.regression(), NO_HOLD_OUT, false), ANY))
                .hasMessage(text + ":1: expected index:value with an integer index and a number, found '1:abc'");
        Path nan = write("n.svm", "1 2:NaN\n");
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.LibSvm(LocalFiles.at(nan), null, 0, Target.regression(), NO_HOLD_OUT, false), ANY))
                .hasMessage(nan + ":1: feature 2 must be a finite number, found NaN");
    }

    // IDX

    private static byte[] idxImages(int count, int rows, int cols, int pixelsWritten) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + pixelsWritten);
        buffer.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < pixelsWritten; i++) {
            buffer.put((byte) (i * 51 % 256));
        }
        return buffer.array();
    }

    private static byte[] idxLabels(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
        buffer.putInt(0x00000801).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }

    private Path writeBytes(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        if (name.endsWith(".gz")) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(compressed)) {
                out.write(bytes);
            }
            bytes = compressed.toByteArray();
        }
        Files.write(file, bytes);
        return file;
    }

    /** Every example of a training file of 10 classes, none held out. */
    private static DataSource.Idx everyExample(Path images, Path labels) {
        return new DataSource.Idx(LocalFiles.at(images), LocalFiles.at(labels), null, null, Target.classification(10), NO_HOLD_OUT, DataSource.Idx.ALL,
                DataSource.Idx.ALL, false);
    }

    @Test
    void idxPixelsAreScaledToTheUnitInterval() throws Exception {
        for (String suffix : List.of("", ".gz")) {
            Path images = writeBytes("img" + suffix, idxImages(3, 2, 2, 12));
            Path labels = writeBytes("lbl" + suffix, idxLabels(0, 9, 4));
            LoadedDataset data = DatasetLoader.load(SPARK.session(), everyExample(images, labels), 4);
            List<Row> rows = rows(data);
            assertThat(rows).hasSize(3);
            assertThat(features(rows.get(0))).containsExactly(0f, 51 / 255f, 102 / 255f, 153 / 255f);
            assertThat(features(rows.get(1))[1]).isEqualTo(1f);
            assertThat(rows).extracting(r -> r.getDouble(2)).containsExactly(0.0, 9.0, 4.0);
        }
    }

    @Test
    void truncatedIdxNamesExpectedAndActualSizes() throws Exception {
        Path images = writeBytes("short.gz", idxImages(3, 2, 2, 10));
        Path labels = writeBytes("lbl", idxLabels(0, 1, 2));
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), everyExample(images, labels), ANY))
                .hasMessage(images + ": truncated IDX file: the header promises 3 images of 2x2 (28 bytes), found 26 bytes");
        Path header = writeBytes("header", new byte[] {0, 0, 8, 3, 0});
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), everyExample(header, labels), ANY))
                .hasMessage(header + ": truncated IDX images file: expected a 16-byte header, found 5 bytes");
    }

    @Test
    void idxCountsAndLabelsMustAgree() throws Exception {
        Path images = writeBytes("img", idxImages(3, 2, 2, 12));
        Path two = writeBytes("two", idxLabels(0, 1));
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), everyExample(images, two), ANY))
                .hasMessage(two + ": holds 2 labels but " + images + " holds 3 images");
        Path big = writeBytes("big", idxLabels(0, 1, 12));
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), everyExample(images, big), ANY))
                .hasMessage(big + ": record 2: the label must be a class index in [0, 10), found 12");
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), everyExample(big, images), ANY))
                .hasMessage(big + ": an IDX images file must have 3 dimensions, found 1 (magic number 0x00000801)");
    }

    @Test
    void idxLimitsKeepTheFirstExamplesOfEachFile() throws Exception {
        Path images = writeBytes("img", idxImages(3, 2, 2, 12));
        Path labels = writeBytes("lbl", idxLabels(0, 9, 4));
        Path testImages = writeBytes("test-img", idxImages(3, 2, 2, 12));
        Path testLabels = writeBytes("test-lbl", idxLabels(7, 8, 9));
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.Idx(LocalFiles.at(images), LocalFiles.at(labels), LocalFiles.at(testImages), LocalFiles.at(testLabels), Target.classification(10), null, 2, 1, false), 4);
        List<Row> rows = rows(data);
        assertThat(data.trainRows()).isEqualTo(2);
        assertThat(data.testRows()).isEqualTo(1);
        assertThat(rows).extracting(r -> r.getDouble(2)).containsExactly(0.0, 9.0, 7.0);
        assertThat(rows).extracting(r -> r.<String>getAs(DatasetSchema.SPLIT))
                .containsExactly(DatasetSchema.TRAIN, DatasetSchema.TRAIN, DatasetSchema.TEST);
        LoadedDataset beyond = DatasetLoader.load(SPARK.session(), new DataSource.Idx(LocalFiles.at(images), LocalFiles.at(labels), null, null,
                Target.classification(10), NO_HOLD_OUT, 10, DataSource.Idx.ALL, false), 4);
        assertThat(beyond.trainRows()).isEqualTo(3);
    }

    @Test
    void idxLimitStillChecksTheWholeFile() throws Exception {
        Path images = writeBytes("short", idxImages(3, 2, 2, 10));
        Path labels = writeBytes("lbl", idxLabels(0, 1, 2));
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), new DataSource.Idx(LocalFiles.at(images), LocalFiles.at(labels), null, null,
                Target.classification(10), NO_HOLD_OUT, 1, DataSource.Idx.ALL, false), ANY))
                .hasMessage(images + ": truncated IDX file: the header promises 3 images of 2x2 (28 bytes), found 26 bytes");
    }

    /** The examples an executor reads from an IDX pair, read here. */
    private static List<Example> idxExamples(Path images, Path labels, int limit) throws IOException {
        List<Example> examples = new ArrayList<>();
        IdxExamples.examples(LocalFiles.storage(), new IdxExamples.Pair(LocalFiles.at(images), LocalFiles.at(labels),
                Target.classification(10), limit)).forEachRemaining(numbered -> examples.add(numbered._2()));
        return examples;
    }

    @Test
    void fashionMnistTrainingFilesReadAsTheDatasetDocumentsThem() throws IOException {
        Path root = Path.of("/usr/share/datasets/fashion-mnist");
        assumeThat(root.resolve("train-images-idx3-ubyte.gz")).exists();
        List<Example> train = idxExamples(root.resolve("train-images-idx3-ubyte.gz"),
                root.resolve("train-labels-idx1-ubyte.gz"), DataSource.Idx.ALL);
        assertThat(train).hasSize(60_000);
        assertThat(train).allSatisfy(e -> assertThat(e.features()).hasSize(28 * 28));
        assertThat(train).extracting(Example::label).containsOnly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        // The label file's first bytes after its 8-byte header (zcat | xxd): 09 00 00 03 00 02 07 02.
        assertThat(train.subList(0, 8)).extracting(Example::label).containsExactly(9.0, 0.0, 0.0, 3.0, 0.0, 2.0, 7.0, 2.0);
        // Fashion-MNIST's training split is balanced: 6,000 images of each class.
        assertThat(train.stream().filter(e -> e.label() == 9.0).count()).isEqualTo(6_000);
        List<Example> test = idxExamples(root.resolve("t10k-images-idx3-ubyte.gz"),
                root.resolve("t10k-labels-idx1-ubyte.gz"), 500);
        assertThat(test).hasSize(500);
        assertThat(test.subList(0, 5)).extracting(Example::label).containsExactly(9.0, 2.0, 1.0, 1.0, 6.0);
    }

    @Test
    void fashionMnistLoadsWhenInstalled() {
        Path root = Path.of("/usr/share/datasets/fashion-mnist");
        assumeThat(root.resolve("t10k-images-idx3-ubyte.gz")).exists();
        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Idx(
                LocalFiles.at(root.resolve("t10k-images-idx3-ubyte.gz")), LocalFiles.at(root.resolve("t10k-labels-idx1-ubyte.gz")),
                null, null, Target.classification(10), new DataSource.HoldOut(0.5, 1), DataSource.Idx.ALL, DataSource.Idx.ALL, false), 784);
        assertThat(data.trainRows() + data.testRows()).isEqualTo(10_000);
        Row range = data.rows().selectExpr("min(array_min(features))", "max(array_max(features))").first();
        assertThat(range.getFloat(0)).isEqualTo(0f);
        assertThat(range.getFloat(1)).isEqualTo(1f);
    }

    // Parquet

    private String parquet(Dataset<Row> rows) {
        String path = dir.resolve("p-" + System.nanoTime()).toString();
        rows.write().mode(SaveMode.ErrorIfExists).parquet(path);
        return path;
    }

    private static GenerateConfig regression(long rows) {
        return GenerateConfig.regression(rows, 2, 1, 0.2);
    }

    @Test
    void parquetInOurSchemaLoadsAsWritten() {
        String path = parquet(SyntheticDataset.generate(SPARK.session(), regression(500)));
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.Parquet( LocalFiles.storage().locate(path), Target.regression(), new DataSource.HoldOut(0.2, 0), false), 10);
        assertThat(data.trainRows() + data.testRows()).isEqualTo(500);
        assertThat(data.features()).isEqualTo(10);
        assertThat(data.rows().schema().fieldNames()).isEqualTo(DatasetSchema.SCHEMA.fieldNames());
    }

    @Test
    void parquetWithOnlyFeaturesAndLabelGetsIdsSplitAndTask() {
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        List<Row> rows = java.util.stream.IntStream.range(0, 400)
                .mapToObj(i -> RowFactory.create(new double[] {i, 1.0}, i % 2)).toList();
        String path = parquet(SPARK.session().createDataFrame(rows, schema));
        LoadedDataset data = DatasetLoader.load(SPARK.session(),
                new DataSource.Parquet( LocalFiles.storage().locate(path), Target.classification(2), new DataSource.HoldOut(0.5, 3), false), ANY);
        assertThat(data.features()).isEqualTo(2);
        assertThat((double) data.testRows() / 400).isBetween(0.4, 0.6);
        assertThat(data.rows().select(DatasetSchema.ROW_ID).distinct().count()).isEqualTo(400);
    }

    private static final StructType OWN = new StructType()
            .add("row_id", DataTypes.LongType)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType))
            .add("label", DataTypes.DoubleType)
            .add("split", DataTypes.StringType);

    private static Row own(long id, float[] features, double label, String split) {
        return RowFactory.create(id, features, label, split);
    }

    private LoadedDataset loadOwn(Target target, int nIn, Row... rows) {
        String path = parquet(SPARK.session().createDataFrame(Arrays.asList(rows), OWN));
        return DatasetLoader.load(SPARK.session(),
                new DataSource.Parquet( LocalFiles.storage().locate(path), target, new DataSource.HoldOut(0.2, 0), false), nIn);
    }

    @Test
    void parquetNonFiniteFeatureNamesTheRow() {
        assertThatThrownBy(() -> loadOwn(Target.regression(), ANY,
                own(0, new float[] {1, 2}, 1, "train"),
                own(7, new float[] {1, Float.NaN}, 1, "train"),
                own(9, new float[] {Float.POSITIVE_INFINITY, 0}, 1, "test")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith(": row_id 7 has a missing, NaN or infinite feature value");
    }

    @Test
    void parquetRaggedOrMismatchedFeaturesAreRejected() {
        assertThatThrownBy(() -> loadOwn(Target.regression(), ANY,
                own(0, new float[] {1, 2}, 1, "train"),
                own(1, new float[] {1}, 1, "train")))
                .hasMessageEndingWith(": row_id 1 has 1 features while other rows have up to 2");
        assertThatThrownBy(() -> loadOwn(Target.regression(), 3,
                own(0, new float[] {1, 2}, 1, "train")))
                .hasMessageEndingWith(": has 2 features per row, but network.n_in is 3");
    }

    @Test
    void parquetBadLabelsAndSplitsNameTheRow() {
        assertThatThrownBy(() -> loadOwn(Target.classification(3), ANY,
                own(0, new float[] {1}, 1, "train"),
                own(4, new float[] {1}, 3, "train")))
                .hasMessageEndingWith(": row_id 4: the label must be a class index in [0, 3), found 3");
        assertThatThrownBy(() -> loadOwn(Target.regression(), ANY,
                own(0, new float[] {1}, 1, "train"),
                own(2, new float[] {1}, 1, "validation")))
                .hasMessageEndingWith(": row_id 2: split must be train or test");
    }

    @Test
    void parquetWithoutTrainingRowsIsRejected() {
        assertThatThrownBy(() -> loadOwn(Target.regression(), ANY, own(0, new float[] {1}, 1, "test")))
                .hasMessageEndingWith(": no row is in the train split (1 rows)");
        String empty = parquet(SPARK.session().createDataFrame(List.of(), OWN));
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.Parquet( LocalFiles.storage().locate(empty), Target.regression(), new DataSource.HoldOut(0.2, 0), false), ANY))
                .hasMessage(empty + ": the data set is empty");
    }

    @Test
    void parquetWithoutALabelColumnIsNamed() {
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType));
        String path = parquet(
                SPARK.session().createDataFrame(List.of(RowFactory.create((Object) new float[] {1})), schema));
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(),
                new DataSource.Parquet( LocalFiles.storage().locate(path), Target.regression(), new DataSource.HoldOut(0.2, 0), false), ANY))
                .hasMessage(path + ": no column label (columns: features)");
    }

    @Test
    void syntheticSourceIsValidatedLikeParquet() {
        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Synthetic(regression(300), false), 10);
        assertThat(data.trainRows() + data.testRows()).isEqualTo(300);
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), new DataSource.Synthetic(regression(300), false), 4))
                .hasMessage("synthetic regression data: has 10 features per row, but network.n_in is 4");
    }
}
