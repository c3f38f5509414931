package org.neuroplastic.jobs.train;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.TrainConfig;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.LayerSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The train job end to end on local[2] with the quickstart configuration, shrunk by overrides so that
 * it runs in seconds: 2,000 rows, 3 epochs, masks rewired every 10 steps so that rewiring happens in
 * every epoch.
 */
class TrainJobTest {

    private static final Path QUICKSTART = Path.of("..", "conf", "quickstart.yaml");
    private static final int EPOCHS = 3;
    private static final List<String> SHRUNK = List.of(
            "data.rows=2000",
            "training.epochs=" + EPOCHS,
            "network.hidden.0.plasticity.structural.rewire_every=10",
            "network.hidden.1.plasticity.structural.rewire_every=10");
    private static final List<String> KEY = List.of("run_id", "task", "epoch", "round", "step", "worker", "layer");

    @TempDir
    static Path temp;

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    private static TrainConfig config;
    private static Path out;
    private static RunSummary summary;
    private static String console;

    @BeforeAll
    static void trainTheShrunkQuickstart() {
        config = TrainConfig.read(LocalFiles.load(QUICKSTART, SHRUNK));
        out = temp.resolve("resident");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        summary = TrainJob.run(config, SPARK.session(), LocalFiles.at(out), null,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        console = printed.toString(StandardCharsets.UTF_8);
    }

    private static Dataset<Row> read(Path folder) {
        return SPARK.session().read().parquet(folder.toString());
    }

    private static Dataset<Row> trajectories() {
        return read(out.resolve(TrajectoryWriter.FOLDER));
    }

    private static Dataset<Row> averagedRows() {
        return trajectories().where(col("worker").equalTo(TrajectoryRecord.AVERAGED));
    }

    @Test
    void heldOutLossFallsFromTheFirstToTheLastEpoch() {
        List<Row> evaluations = read(out.resolve(ResultWriter.EVALUATIONS)).orderBy("epoch").collectAsList();
        assertThat(evaluations).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2, 3);
        assertThat(evaluations).allSatisfy(r -> {
            assertThat(r.<String>getAs("split")).isEqualTo("test");
            assertThat(r.<Integer>getAs("task")).isZero();
            assertThat(r.<Integer>getAs("trained_task")).isZero();
            assertThat(r.<Long>getAs("examples")).isEqualTo(summary.testRows());
            assertThat(r.<Object>getAs("accuracy")).isNull();
        });
        double first = evaluations.get(0).getAs("loss");
        double last = evaluations.get(EPOCHS - 1).getAs("loss");
        assertThat(last).as("held-out MSE after epoch %d vs epoch 1 (%s)", EPOCHS, first).isLessThan(first);
        // A zero predictor's MSE is about 121 on this data: training must have got well below it.
        assertThat(last).isLessThan(100);
    }

    @Test
    void hebbianNormGrowsFromZero() {
        for (int layer : plasticLayers().keySet()) {
            List<Row> averaged = averagedRows().where(col("layer").equalTo(layer)).orderBy("step").collectAsList();
            List<Row> firstStep = trajectories().where(col("layer").equalTo(layer).and(col("step").equalTo(1)))
                    .collectAsList();
            double firstWorkerStep = firstStep.stream().mapToDouble(r -> r.<Double>getAs("hebbian_norm")).max().orElseThrow();
            double firstAveraged = averaged.get(0).getAs("hebbian_norm");
            double lastAveraged = averaged.get(averaged.size() - 1).getAs("hebbian_norm");
            assertThat(firstStep).as("layer %d worker rows of step 1", layer).hasSize(config.training().workers());
            assertThat(lastAveraged).as("layer %d", layer).isGreaterThan(0).isGreaterThan(firstAveraged)
                    .isGreaterThan(firstWorkerStep);
        }
    }

    @Test
    void maskDensityIsTheConfiguredOneInEveryAveragedRowOfAStructuralLayer() {
        for (Map.Entry<Integer, Double> layer : plasticLayers().entrySet()) {
            List<Row> averaged = averagedRows().where(col("layer").equalTo(layer.getKey())).collectAsList();
            assertThat(averaged).as("layer %d", layer.getKey()).isNotEmpty().allSatisfy(r ->
                    assertThat(r.<Double>getAs("mask_density")).isCloseTo(layer.getValue(), within(1e-9)));
            // Otherwise the density would merely be the initial mask's.
            assertThat(averaged).as("layer %d rewired", layer.getKey())
                    .anySatisfy(r -> assertThat(r.<Long>getAs("pruned")).isPositive());
        }
    }

    /** Hidden layers with structural plasticity, by layer index, with their configured density. */
    private static Map<Integer, Double> plasticLayers() {
        Map<Integer, Double> densities = new LinkedHashMap<>();
        List<LayerSpec> hidden = config.network().hidden();
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i).plasticity().structural().enabled()) {
                densities.put(i, hidden.get(i).plasticity().structural().density());
            }
        }
        assertThat(densities).hasSize(2);
        return densities;
    }

    @Test
    void trajectoriesHoldExactlyOneRowPerKeyFromEveryWorkerAndTheAverage() {
        Dataset<Row> rows = trajectories();
        long total = rows.count();
        assertThat(total).isPositive();
        assertThat(rows.groupBy(KEY.stream().map(name -> col(name)).toArray(Column[]::new))
                .count().where(col("count").gt(1)).collectAsList()).isEmpty();
        assertThat(rows.select("run_id").distinct().collectAsList()).extracting(r -> r.getString(0))
                .containsExactly(summary.runId());
        List<String> workers = rows.select("worker").distinct().orderBy("worker").collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        assertThat(workers).containsExactly("0", "1", TrajectoryRecord.AVERAGED);
        assertThat(rows.select("epoch").distinct().count()).isEqualTo(EPOCHS);
    }

    /** Trajectories and evaluations count epochs alike: the rows of epoch e and the evaluation after it share e. */
    @Test
    void trajectoriesAndEvaluationsNumberEpochsFromOne() {
        List<Integer> trajectoryEpochs = trajectories().select("epoch").distinct().orderBy("epoch").collectAsList()
                .stream().map(r -> r.getInt(0)).toList();
        List<Integer> evaluationEpochs = read(out.resolve(ResultWriter.EVALUATIONS)).select("epoch").orderBy("epoch")
                .collectAsList().stream().map(r -> r.getInt(0)).toList();
        assertThat(trajectoryEpochs).containsExactly(1, 2, 3).isEqualTo(evaluationEpochs);
    }

    /** Each epoch's rows are appended by one write job from the executors, as one file for so few rows. */
    @Test
    void eachEpochAppendsItsRowsAsOneFile() throws Exception {
        try (var files = java.nio.file.Files.list(out.resolve(TrajectoryWriter.FOLDER).resolve("run_id=" + summary.runId()))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count()).isEqualTo(EPOCHS);
        }
    }

    /** Every round of two workers: each worker's last step carries its drift, the average its drift and divergence. */
    @Test
    void driftIsOnEachWorkersLastStepOfARoundAndDivergenceOnTheAverage() {
        Dataset<Row> workerRows = trajectories().where(col("worker").notEqual(TrajectoryRecord.AVERAGED));
        assertThat(workerRows.where(col("worker_divergence").isNotNull()).count()).isZero();
        long lastSteps = workerRows.groupBy("worker", "epoch", "round").agg(org.apache.spark.sql.functions.max("step")
                .as("step")).count();
        long layers = workerRows.select("layer").distinct().count();
        assertThat(workerRows.where(col("drift").isNotNull()).count()).isEqualTo(lastSteps * layers);
        assertThat(workerRows.where(col("drift").isNotNull()).select("worker", "epoch", "round").distinct().count())
                .isEqualTo(lastSteps);
        assertThat(averagedRows().where(col("drift").isNull().or(col("worker_divergence").isNull())).count()).isZero();
        assertThat(averagedRows().where(col("worker_divergence").gt(0)).count()).isPositive();
    }

    @Test
    void runsHoldOneCompletedRunThatUsedEveryExample() {
        List<Row> runs = read(out.resolve(ResultWriter.RUNS)).collectAsList();
        assertThat(runs).hasSize(1);
        Row run = runs.get(0);
        assertThat(run.<String>getAs("run_id")).isEqualTo(summary.runId());
        assertThat(run.<String>getAs("status")).isEqualTo("completed");
        assertThat(run.<Double>getAs("examples_used_fraction")).isEqualTo(1.0);
        assertThat(run.<Integer>getAs("epochs_completed")).isEqualTo(EPOCHS);
        assertThat(run.<String>getAs("averaging")).isEqualTo("resident");
        assertThat(run.<String>getAs("configuration")).contains("rows: 2000", "epochs: " + EPOCHS);
        assertThat(run.<Object>getAs("error")).isNull();
        Map<String, String> versions = run.getJavaMap(run.fieldIndex("versions"));
        assertThat(versions).containsKeys("neuroplastic", "spark", "scala", "java");
        assertThat(versions.get("deeplearning4j")).as("versions %s", versions).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void everyEpochIsCheckpointedAndTheFinalModelRestoresAsTheLastCheckpoint() throws Exception {
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            assertThat(out.resolve(TrainJob.CHECKPOINTS).resolve(String.format("epoch-%03d.zip", epoch))).isRegularFile();
        }
        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(out.resolve(TrainJob.MODEL).toFile(), true);
        MultiLayerNetwork last = ModelSerializer.restoreMultiLayerNetwork(
                out.resolve(TrainJob.CHECKPOINTS).resolve(String.format("epoch-%03d.zip", EPOCHS)).toFile(), true);
        assertThat(model.params().toFloatVector()).containsExactly(last.params().toFloatVector());
        assertThat(model.getEpochCount()).isEqualTo(EPOCHS);
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, config.network().nIn());
        assertThat(model.output(input).toFloatVector()).containsExactly(last.output(input).toFloatVector());
    }

    @Test
    void consoleShowsTheRunAndTheStepTable() {
        assertThat(console).contains("run " + summary.runId(), "resident averaging, 2 workers", "Step", "Hebbian");
    }

    @Test
    void theParameterMatchedBaselineTrainsTheWidthsItPrints() throws Exception {
        // The quickstart's plastic 10 -> [32, 16] -> 1 learns W, alpha, b and g: 10*32*2 + 32 + 32 + 32*16*2 + 16
        // + 16 + 16 + 1 = 1777. Dense [w1, w2]: 11 w1 + w1 w2 + 2 w2 + 1; [49, 24] (s in [97/64, 49/32)): 1764,
        // 13 below; the next widths, [49, 25]: 1815, 38 above.
        List<String> sets = new ArrayList<>(SHRUNK);
        sets.add("network.variant=dense_matched");
        sets.add("training.epochs=1");
        Path matchedOut = temp.resolve("dense-matched");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TrainJob.run(TrainConfig.read(LocalFiles.load(QUICKSTART, sets)), SPARK.session(), LocalFiles.at(matchedOut), null,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("dense_matched: hidden widths [49, 24] for the "
                + "plastic [32, 16], 1764 learned parameters for the plastic network's 1777");
        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(matchedOut.resolve(TrainJob.MODEL).toFile(), false);
        assertThat(model.numParams()).isEqualTo(1764);
        assertThat(model.layerInputSize(1)).isEqualTo(49);
        assertThat(model.layerSize(1)).isEqualTo(24);
    }

    @Test
    void stockMasterCompletesAndWritesEvaluations() {
        List<String> sets = new ArrayList<>(SHRUNK);
        sets.add("training.averaging=stock");
        sets.add("training.epochs=2");
        Path stockOut = temp.resolve("stock");
        RunSummary stock = TrainJob.run(TrainConfig.read(LocalFiles.load(QUICKSTART, sets)), SPARK.session(),
                LocalFiles.at(stockOut), null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<Row> evaluations = read(stockOut.resolve(ResultWriter.EVALUATIONS)).orderBy("epoch").collectAsList();
        assertThat(evaluations).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(1, 2);
        assertThat(evaluations).allSatisfy(r -> assertThat(r.<Double>getAs("loss")).isFinite());
        Row run = read(stockOut.resolve(ResultWriter.RUNS)).first();
        assertThat(run.<String>getAs("run_id")).isEqualTo(stock.runId());
        assertThat(run.<String>getAs("status")).isEqualTo("completed");
        assertThat(run.<String>getAs("averaging")).isEqualTo("stock");
        assertThat(run.<Double>getAs("examples_used_fraction")).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(Files.isRegularFile(stockOut.resolve(TrainJob.MODEL))).isTrue();
        // DL4J averages the masks, so they only stay binary because its workers never rewire.
        for (Map.Entry<Integer, Double> layer : plasticLayers().entrySet()) {
            List<Row> averaged = read(stockOut.resolve(TrajectoryWriter.FOLDER))
                    .where(col("worker").equalTo(TrajectoryRecord.AVERAGED).and(col("layer").equalTo(layer.getKey())))
                    .collectAsList();
            assertThat(averaged).as("layer %d", layer.getKey()).hasSize(2).allSatisfy(r ->
                    assertThat(r.<Double>getAs("mask_density")).isCloseTo(layer.getValue(), within(1e-9)));
        }
    }
}
