package org.neuroplastic.jobs.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.trajectory.PendingRows;
import org.neuroplastic.model.consolidation.GradientPenalty;

import java.util.function.Consumer;

/** One pass over the training data with one of the two training masters. */
interface EpochTrainer extends AutoCloseable {
    /**
     * The next fits train {@code task}, of {@code trainRows} examples, every worker adding
     * {@code penalty} (null: none) to its loss.
     */
    void startTask(int task, long trainRows, GradientPenalty penalty);

    /** Every round's path integral, averaged over the workers, goes to {@code sink} (Synaptic Intelligence). */
    default void collectPathIntegral(Consumer<float[]> sink) {
        throw new UnsupportedOperationException("this training master does not measure path integrals");
    }

    /** Appends examples drawn from the encoded replay memory (null: none) to every minibatch from now on. */
    default void replayFrom(byte[] memory) {
        throw new UnsupportedOperationException("this training master cannot replay examples");
    }

    /** Makes every worker predict each minibatch before it learns from it (online streams). */
    default void predictBeforeLearning() {
        throw new UnsupportedOperationException("this training master cannot predict before learning");
    }

    EpochReport fitEpoch(JavaRDD<DataSet> training);

    MultiLayerNetwork network();

    /** The trajectory rows made since the last call, handed over to be written ({@link EpochOutputs#trajectory}). */
    PendingRows takeTrajectory();

    double lastTrainLoss();

    @Override
    void close();
}
