package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.StepRecorder;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.consolidation.GradientPenalty;
import org.neuroplastic.model.network.PlasticNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * DL4J's own master, kept selectable for comparison. It gives the driver no hook between its rounds,
 * so the driver rewires the masks after each epoch and records one averaged row per layer per epoch.
 */
final class StockEpochs implements EpochTrainer {
    private final StockAveragingMaster master;
    private final SparkDl4jMultiLayer spark;
    private final TrainingSettings settings;
    private TrajectoryScope scope;
    private final LayerMetricsSource metrics;
    private long trainRows;
    private final ProgressTable table;
    private final List<TrajectoryRecord> rows = new ArrayList<>();
    private double lastLoss = Double.NaN;

    StockEpochs(JavaSparkContext sc, MultiLayerNetwork network, TrainingSettings settings, TrajectoryScope scope,
                LayerMetricsSource metrics, ProgressTable table) {
        this.master = new StockAveragingMaster(sc, settings, settings.batchSizePerWorker(), network.getDefaultConfiguration().getSeed());
        this.spark = new SparkDl4jMultiLayer(sc, network, master.trainingMaster());
        this.settings = settings;
        this.scope = scope;
        this.metrics = metrics;
        this.table = table;
    }

    @Override
    public void startTask(int task, long trainRows, GradientPenalty penalty) {
        this.trainRows = trainRows;
        if (penalty != null) {
            throw new UnsupportedOperationException("training.master stock cannot add a penalty to the workers' "
                    + "loss; use training.master resident");
        }
        scope = new TrajectoryScope(scope.runId(), scope.trialId(), task);
    }

    @Override
    public EpochReport fitEpoch(JavaRDD<DataSet> training) {
        MultiLayerNetwork network = spark.getNetwork();
        long before = network.getIterationCount();
        int epoch = network.getEpochCount();
        EpochReport report = master.fitEpoch(spark, training, trainRows);
        network = spark.getNetwork();
        lastLoss = spark.getScore();
        TrainingDiverged diverged = divergence(network, epoch);
        if (diverged == null) {
            PlasticNetwork.rewire(network, before, network.getIterationCount());
        }
        List<TrajectoryRecord> averaged = !settings.trajectories() ? List.of()
                : new StepRecorder(scope, epoch + 1, Math.max(0, report.rounds() - 1), metrics, 0).averaged(network,
                        network.getIterationCount(), ResidentAveragingMaster.DRIVER, lastLoss, null, null,
                        report.wallNanos() / 1_000_000);
        rows.addAll(averaged);
        if (diverged != null) {
            throw diverged;
        }
        table.round(epoch, 0, 1, network.getIterationCount(), lastLoss, averaged);
        return report;
    }

    /** DL4J's master gives no hook between its rounds: the check runs once per epoch. */
    private TrainingDiverged divergence(MultiLayerNetwork network, int epoch) {
        long step = network.getIterationCount();
        if (Double.isFinite(lastLoss) && NonFiniteState.first(network).isEmpty()) {
            return null;
        }
        return TrainingDiverged.of(network, lastLoss, step, epoch + 1);
    }

    @Override
    public MultiLayerNetwork network() {
        return spark.getNetwork();
    }

    /** The stock master's rows are made on the driver: one per layer per epoch. */
    @Override
    public PendingRows takeTrajectory() {
        PendingRows taken = new PendingRows();
        taken.setOnDriver(rows);
        rows.clear();
        return taken;
    }

    @Override
    public double lastTrainLoss() {
        return lastLoss;
    }

    @Override
    public void close() {
        master.trainingMaster().deleteTempFiles(spark.getSparkContext());
    }
}
