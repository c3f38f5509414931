package org.neuroplastic.jobs.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.GenerateConfig;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.LocalFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StandardizationTest {

    private static final int ANY = NetworkConfig.INFERRED;
    private static final DataSource.HoldOut NO_HOLD_OUT = new DataSource.HoldOut(0.0, 0);

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static LoadedDataset standardized(Path train, Path test) {
        return DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(train),
                test == null ? null : LocalFiles.at(test), "label", Target.regression(), test == null ? NO_HOLD_OUT : null,
                true), ANY);
    }

    /** Features by row id, both splits. */
    private static List<float[]> features(LoadedDataset data) {
        List<float[]> features = new ArrayList<>();
        for (Row row : data.rows().orderBy(col(DatasetSchema.ROW_ID)).collectAsList()) {
            List<Float> values = row.getList(row.fieldIndex(DatasetSchema.FEATURES));
            float[] array = new float[values.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = values.get(i);
            }
            features.add(array);
        }
        return features;
    }

    @Test
    void threeRowsGiveTheHandComputedMeanAndPopulationStandardDeviation() throws IOException {
        Path csv = write("three.csv", "a,b,label\n1,10,0\n2,20,0\n6,30,0\n");

        LoadedDataset data = standardized(csv, null);

        // a: mean 3, deviations -2 -1 3, variance 14/3; b: mean 20, deviations -10 0 10, variance 200/3.
        double stdA = Math.sqrt(14.0 / 3);
        double stdB = Math.sqrt(200.0 / 3);
        assertThat(data.standardization().trainingRows()).isEqualTo(3);
        assertThat(data.standardization().mean()).containsExactly(new double[] {3, 20}, within(1e-12));
        assertThat(data.standardization().std()).containsExactly(new double[] {stdA, stdB}, within(1e-12));
        List<float[]> rows = features(data);
        assertThat(rows.get(0)).containsExactly((float) (-2 / stdA), (float) (-10 / stdB));
        assertThat(rows.get(1)).containsExactly((float) (-1 / stdA), 0f);
        assertThat(rows.get(2)).containsExactly((float) (3 / stdA), (float) (10 / stdB));
    }

    @Test
    void heldOutRowsAreStandardizedWithTheTrainingStatisticsAndDoNotMoveThem() throws IOException {
        Path train = write("train.csv", "a,label\n1,0\n2,0\n6,0\n");
        Path test = write("test.csv", "a,label\n1000000,0\n3,0\n");

        LoadedDataset data = standardized(train, test);

        double std = Math.sqrt(14.0 / 3);
        assertThat(data.standardization().trainingRows()).isEqualTo(3);
        assertThat(data.standardization().mean()).containsExactly(new double[] {3}, within(1e-12));
        assertThat(data.standardization().std()).containsExactly(new double[] {std}, within(1e-12));
        List<float[]> rows = features(data);
        assertThat(rows.get(3)).containsExactly((float) ((1_000_000 - 3) / std));
        assertThat(rows.get(4)).containsExactly(0f);
    }

    @Test
    void aHeldOutRowBySplitDrawIsLeftOutOfTheStatistics() throws IOException {
        StringBuilder csv = new StringBuilder("a,label\n");
        for (int r = 0; r < 200; r++) {
            csv.append(r % 7).append(",0\n");
        }
        Path file = write("many.csv", csv.toString());
        DataSource.HoldOut holdOut = new DataSource.HoldOut(0.3, 5);
        double sum = 0;
        long n = 0;
        for (int r = 0; r < 200; r++) {
            if (RowRandom.uniform(holdOut.seed(), r) >= holdOut.testFraction()) {
                sum += r % 7;
                n++;
            }
        }

        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(file), null, "label",
                Target.regression(), holdOut, true), ANY);

        assertThat(n).isLessThan(200);
        assertThat(data.standardization().trainingRows()).isEqualTo(n);
        assertThat(data.standardization().mean()[0]).isCloseTo(sum / n, within(1e-12));
    }

    @Test
    void aConstantFeatureIsCentredAndNeverNaN() throws IOException {
        Path train = write("constant.csv", "c,v,label\n5,1,0\n5,2,0\n5,3,0\n");
        Path test = write("test.csv", "c,v,label\n7,2,0\n");

        LoadedDataset data = standardized(train, test);

        assertThat(data.standardization().std()[0]).isZero();
        List<float[]> rows = features(data);
        assertThat(rows).extracting(r -> r[0]).containsExactly(0f, 0f, 0f, 2f);
    }

    @Test
    void minibatchesOfTheSlicesAndOfTheRowsHoldTheSameStandardizedFeatures() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,c,label\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int r = 0; r < 300; r++) {
            csv.append(random.nextDouble() * 0.1).append(',').append(2500 + random.nextDouble() * 40).append(',')
                    .append(random.nextInt(-5, 5)).append(',').append(random.nextInt(3)).append('\n');
        }
        Path file = write("mixed.csv", csv.toString());
        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(file), null, "label",
                Target.classification(3), new DataSource.HoldOut(0.3, 11), true), ANY);

        List<DataSet> fromSlices = Minibatches.ofTrain(data, 16).collect();
        List<DataSet> fromRows = Minibatches.of(data.train(), data.features(), data.target(), 16).collect();

        assertThat(fromSlices).hasSameSizeAs(fromRows);
        for (int i = 0; i < fromSlices.size(); i++) {
            float[] sliced = fromSlices.get(i).getFeatures().ravel().toFloatVector();
            assertThat(sliced).containsExactly(fromRows.get(i).getFeatures().ravel().toFloatVector());
            for (float x : sliced) {
                assertThat(Math.abs(x)).as("a standardized value of batch " + i).isLessThan(4f);
            }
        }
    }

    @Test
    void theColumnExpressionAndTheArrayFunctionRoundAlike() {
        double[] mean = {2512.25, 0.05, -3};
        double[] std = {11.5, 0.0289, 0};
        Standardization statistics = Standardization.of(10, mean, std);
        SplittableRandom random = new SplittableRandom(9);
        List<Row> rows = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int r = 0; r < 500; r++) {
            float[] x = {(float) (2500 + random.nextDouble() * 40), (float) (random.nextDouble() * 0.1),
                    (float) random.nextInt(-5, 5)};
            rows.add(RowFactory.create(r, x));
            expected.add(statistics.apply(x));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("x", DataTypes.createArrayType(DataTypes.FloatType, false));

        List<Row> applied = SPARK.session().createDataFrame(rows, schema)
                .select(col("id"), statistics.apply(col("x")).as("x")).orderBy("id").collectAsList();

        for (int r = 0; r < rows.size(); r++) {
            List<Float> values = applied.get(r).getList(1);
            assertThat(values).as("row " + r).containsExactly(expected.get(r)[0], expected.get(r)[1], expected.get(r)[2]);
        }
    }

    @Test
    void partitionSummariesMergeToTheStatisticsOfOnePass() {
        SplittableRandom random = new SplittableRandom(1);
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < 1000; r++) {
            rows.add(new float[] {(float) (2500 + random.nextGaussian() * 3), (float) random.nextGaussian()});
        }
        Standardization.FeatureMoments whole = new Standardization.FeatureMoments(2);
        rows.forEach(whole::add);
        Standardization.FeatureMoments merged = new Standardization.FeatureMoments(2);
        for (int[] part : new int[][] {{0, 1}, {1, 400}, {400, 400}, {400, 1000}}) {
            Standardization.FeatureMoments partial = new Standardization.FeatureMoments(2);
            rows.subList(part[0], part[1]).forEach(partial::add);
            merged.merge(partial);
        }

        Standardization one = whole.standardization();
        Standardization parts = merged.standardization();
        assertThat(parts.trainingRows()).isEqualTo(1000);
        for (int f = 0; f < 2; f++) {
            assertThat(parts.mean()[f]).isCloseTo(one.mean()[f], within(1e-9 * Math.abs(one.mean()[f])));
            assertThat(parts.std()[f]).isCloseTo(one.std()[f], within(1e-9 * one.std()[f]));
        }
        assertThat(one.std()[0]).isCloseTo(3, within(0.3));
    }

    @Test
    void recordedStatisticsAreAppliedInsteadOfComputed() throws IOException {
        Path csv = write("three.csv", "a,label\n1,0\n2,0\n6,0\n");
        Standardization recorded = Standardization.of(99, new double[] {1}, new double[] {0.5});

        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(csv), null, "label",
                Target.regression(), NO_HOLD_OUT, true), ANY, recorded);

        assertThat(data.standardization()).isEqualTo(recorded);
        assertThat(features(data)).extracting(r -> r[0]).containsExactly(0f, 2f, 10f);
        Standardization twoFeatures = Standardization.of(3, new double[] {1, 2}, new double[] {1, 1});
        assertThatThrownBy(() -> DatasetLoader.load(SPARK.session(), new DataSource.Csv(LocalFiles.at(csv), null, "label",
                Target.regression(), NO_HOLD_OUT, true), ANY, twoFeatures))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(csv + ": has 1 features per row, but the run's recorded standardization has 2");
    }

    @Test
    void dataReadOnTheExecutorsIsStandardizedToZeroMeanAndUnitVarianceOnItsTrainingSplit() {
        GenerateConfig generator = GenerateConfig.classification(2000, 3, 17, 0.2).withFeatures(4)
                .withClassSeparation(5.0);
        LoadedDataset data = DatasetLoader.load(SPARK.session(), new DataSource.Synthetic(generator, true), ANY);

        assertThat(data.slices()).isNull();
        Row moments = data.train().selectExpr("posexplode(features) AS (f, x)").groupBy("f")
                .agg(org.apache.spark.sql.functions.avg("x"), org.apache.spark.sql.functions.stddev_pop("x"))
                .orderBy("f").collectAsList().get(0);
        assertThat(moments.getDouble(1)).isCloseTo(0, within(1e-6));
        assertThat(moments.getDouble(2)).isCloseTo(1, within(1e-6));
    }

    @Test
    void statisticsThatCannotStandardizeAreRefused() {
        assertThatThrownBy(() -> Standardization.of(3, new double[] {1}, new double[] {-1}))
                .hasMessage("feature 0 must have a finite mean and a finite std >= 0, found 1.0 and -1.0");
        assertThatThrownBy(() -> Standardization.of(3, new double[] {1, 2}, new double[] {1}))
                .hasMessage("mean and std must have one entry per feature, found 2 and 1");
        assertThatThrownBy(() -> Standardization.of(0, new double[] {1}, new double[] {1}))
                .hasMessage("training_rows must be >= 1, found 0");
    }
}
