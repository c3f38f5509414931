package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.ParameterLayout;
import org.neuroplastic.jobs.trajectory.TrajectoryBuffer;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameter-averaged training of one network with the master {@link TrainingSettings#master()}
 * names, one epoch per {@link #fitEpoch} call, behind one interface.
 *
 * <p>{@code RESIDENT} runs {@link ResidentAveragingMaster}: round listeners after every averaging
 * round, worker and {@code avg} trajectory rows. {@code STOCK} runs DL4J's master through
 * {@link StockAveragingMaster}: its rounds happen inside DL4J with no driver hook between them, so the
 * round listeners run once per epoch, on a {@link RoundResult} spanning the whole epoch with no worker
 * results, and the trajectories hold one {@code avg} row per layer per epoch (round 0, loss = DL4J's
 * mean worker score of the last split, no divergence).
 */
public final class AveragingTrainer implements AutoCloseable {

    private final TrainingSettings settings;
    private final TrajectoryScope scope;
    private final LayerMetricsSource metrics;
    private final MultiLayerNetwork network;
    private final SparkDl4jMultiLayer spark;
    private final ResidentAveragingMaster resident;
    private final StockAveragingMaster stock;
    private final List<RoundListener> stockListeners = new ArrayList<>();
    private final TrajectoryBuffer stockTrajectory = new TrajectoryBuffer();
    private int countedRddId = -1;
    private long countedExamples;

    /**
     * @param network the driver's network; it holds the averaged state after every epoch
     * @param seed    seed of DL4J's split assignment (stock master only)
     */
    public AveragingTrainer(JavaSparkContext sc, MultiLayerNetwork network, TrainingSettings settings,
                            TrajectoryScope scope, LayerMetricsSource metrics, long seed) {
        this.settings = settings;
        this.scope = scope;
        this.metrics = metrics;
        this.network = network;
        if (settings.master() == TrainingSettings.Master.RESIDENT) {
            this.resident = new ResidentAveragingMaster(settings, scope, metrics);
            this.stock = null;
            this.spark = new SparkDl4jMultiLayer(sc, network, resident);
        } else {
            this.resident = null;
            this.stock = new StockAveragingMaster(sc, settings, settings.batchSizePerWorker(), seed);
            this.spark = new SparkDl4jMultiLayer(sc, network, stock.trainingMaster());
        }
    }

    /** Runs after every averaging round (resident) or after every epoch (stock); see the class comment. */
    public void addRoundListener(RoundListener listener) {
        if (resident != null) {
            resident.addRoundListener(listener);
        } else {
            stockListeners.add(listener);
        }
    }

    /**
     * One pass over {@code trainingData} (pass the same RDD every epoch: both masters keep it
     * persisted). Elements are DataSets of any size; {@code batchSizePerWorker} examples each avoids
     * re-cutting them.
     */
    public EpochReport fitEpoch(JavaRDD<DataSet> trainingData) {
        if (resident != null) {
            spark.fit(trainingData);
            List<EpochReport> reports = resident.epochReports();
            return reports.get(reports.size() - 1);
        }
        int epoch = network.getEpochCount();
        int iteration = network.getIterationCount();
        EpochReport report = stock.fitEpoch(spark, trainingData, examples(trainingData));
        RoundResult whole = new RoundResult(epoch, 0, iteration + 1L, network.getIterationCount(), List.of(),
                Vectors.toArray(network.params()), report.wallNanos());
        for (RoundListener listener : stockListeners) {
            listener.afterRound(whole, network);
        }
        if (settings.trajectories()) {
            stockTrajectory.addAll(RoundTrajectory.rows(scope, whole, network, metrics, ParameterLayout.of(network),
                    spark.getScore()));
        }
        return report;
    }

    /** The trajectory rows collected since the last drain. */
    public List<TrajectoryRecord> drainTrajectory() {
        return resident != null ? resident.drainTrajectory() : stockTrajectory.drain();
    }

    public MultiLayerNetwork network() {
        return network;
    }

    public SparkDl4jMultiLayer sparkNetwork() {
        return spark;
    }

    private long examples(JavaRDD<DataSet> trainingData) {
        if (countedRddId != trainingData.id()) {
            countedExamples = trainingData.map(d -> (long) d.numExamples()).fold(0L, Long::sum);
            countedRddId = trainingData.id();
        }
        return countedExamples;
    }

    /** Frees the resident networks and cached data (resident master); nothing to free for stock. */
    @Override
    public void close() {
        if (resident != null) {
            resident.close();
        }
    }
}
