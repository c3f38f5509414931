package org.neuroplastic.jobs.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.trajectory.LayerMetricsSource;
import org.neuroplastic.jobs.trajectory.TrajectoryRecord;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Resident training of one epoch next to the driver's replay of it on one JVM. In the replay, each round every
 * worker's minibatches are fitted on a copy of the network (worker {@code w} of round {@code r} fits minibatches
 * {@code (w * rounds + r) * frequency} onwards, as {@code parallelize} hands them out), the copies are averaged,
 * and the average is what the next round starts from. With SGD (no updater state) that is exactly what the
 * resident master computes.
 *
 * @param workers   workers per round
 * @param batch     examples per minibatch
 * @param frequency minibatches each worker fits per round
 * @param rounds    rounds of the epoch
 */
record DriverReplay(int workers, int batch, int frequency, int rounds) {

    /** What a worker does after each of its steps: {@code step} is the global step just trained (from 1). */
    interface AfterStep {
        void apply(MultiLayerNetwork worker, long step);
    }

    /** What the driver does to the average of a round that trained steps {@code from + 1 .. to}. */
    interface AfterRound {
        void apply(MultiLayerNetwork averaged, long from, long to);
    }

    /** A resident run's network and the trajectory rows it made (none when trajectories are off). */
    record Resident(MultiLayerNetwork network, List<TrajectoryRecord> rows) {
    }

    /** The minibatches both the replay and the resident master train on. */
    List<DataSet> minibatches(long seed) {
        return SmallNetworks.minibatches(workers * frequency * rounds, batch, seed);
    }

    /** The resident master's settings for one epoch of these rounds, trajectories off. */
    TrainingSettings settings() {
        return TrainingSettings.resident(workers, batch, frequency, 1).withTrajectories(false);
    }

    /** The network {@code start} becomes in the replay; {@code start} is left as it is. */
    MultiLayerNetwork replay(MultiLayerNetwork start, List<DataSet> data, AfterStep afterStep, AfterRound afterRound) {
        MultiLayerNetwork replayed = start.clone();
        for (int round = 0; round < rounds; round++) {
            INDArray sum = null;
            for (int worker = 0; worker < workers; worker++) {
                MultiLayerNetwork copy = replayed.clone();
                for (int i = 0; i < frequency; i++) {
                    copy.fit(data.get((worker * rounds + round) * frequency + i));
                    afterStep.apply(copy, (long) round * frequency + i + 1);
                }
                sum = sum == null ? copy.params().dup() : sum.addi(copy.params());
            }
            replayed.setParams(sum.divi(workers));
            afterRound.apply(replayed, (long) round * frequency, (long) (round + 1) * frequency);
        }
        return replayed;
    }

    /** One resident epoch of {@code network} (trained in place) on {@code data}, with the driver's listeners. */
    Resident resident(LocalSpark spark, TrainingSettings settings, String run, LayerMetricsSource metrics,
                      MultiLayerNetwork network, List<DataSet> data, RoundListener... listeners) {
        try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings, new TrajectoryScope(run, null, 0),
                metrics)) {
            for (RoundListener listener : listeners) {
                master.addRoundListener(listener);
            }
            SparkDl4jMultiLayer trained = new SparkDl4jMultiLayer(spark.context(), network, master);
            trained.fit(spark.context().parallelize(data, workers));
            List<TrajectoryRecord> rows = settings.trajectories() ? TrajectoryRows.take(master) : List.of();
            return new Resident(trained.getNetwork(), rows);
        }
    }

    /** Asserts that {@code actual} holds {@code expected}'s parameters, to float rounding. */
    static void assertSameParameters(MultiLayerNetwork expected, MultiLayerNetwork actual) {
        float[] e = expected.params().toFloatVector();
        float[] a = actual.params().toFloatVector();
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("parameter %d", i).isCloseTo(e[i], within(1e-5f));
        }
    }
}
