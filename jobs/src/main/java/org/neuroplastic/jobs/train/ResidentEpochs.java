package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.consolidation.GradientPenalty;

import java.util.List;
import java.util.function.Consumer;

/** Our master: networks and data resident on the executors, the driver rewiring between rounds. */
final class ResidentEpochs implements EpochTrainer {
    private final ResidentAveragingMaster master;
    private final SparkDl4jMultiLayer spark;
    private double lastLoss = Double.NaN;

    ResidentEpochs(JavaSparkContext sc, MultiLayerNetwork network, TrainingSettings settings, TrajectoryScope scope,
                   LayerMetricsSource metrics, ProgressTable table) {
        master = new ResidentAveragingMaster(settings, scope, metrics);
        master.addRoundListener(new StructuralRewiring());
        master.addRoundObserver((round, rounds, averagedRows) -> {
            lastLoss = round.meanLoss();
            table.round(round.epoch(), round.round(), rounds, round.lastStep(), lastLoss, averagedRows);
        });
        spark = new SparkDl4jMultiLayer(sc, network, master);
    }

    @Override
    public void startTask(int task, long trainRows, GradientPenalty penalty) {
        master.startTask(task, penalty);
    }

    @Override
    public void collectPathIntegral(Consumer<float[]> sink) {
        master.collectPathIntegral(sink);
    }

    @Override
    public void replayFrom(byte[] memory) {
        master.replayFrom(memory);
    }

    @Override
    public void predictBeforeLearning() {
        master.predictBeforeLearning();
    }

    @Override
    public EpochReport fitEpoch(JavaRDD<DataSet> training) {
        return master.fitEpoch(spark, training);
    }

    @Override
    public MultiLayerNetwork network() {
        return spark.getNetwork();
    }

    @Override
    public PendingRows takeTrajectory() {
        return master.takeTrajectory();
    }

    @Override
    public double lastTrainLoss() {
        return lastLoss;
    }

    @Override
    public void close() {
        master.close();
    }
}
