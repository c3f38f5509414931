package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.LocalSpark;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.model.network.NetworkFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A parallel-mode trial scores its test split in minibatches of its {@code training.evaluation_batch_size}: with
 * {@code at_inference} on, the state moved by one minibatch changes the next one's output, so 7 and the whole
 * split give different test losses; with it off, the same.
 */
class TrialTaskTest {

    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.of("local[2]");

    @Test
    void aTrialEvaluatesInMinibatchesOfItsEvaluationBatchSize() {
        LoadedDataset data = DatasetLoader.load(SPARK.session(), trial(false).config().data(), NetworkConfig.INFERRED);
        TrainingData trainingData = LegacyEncoding.of(data);
        double[] adapting = testLosses(trial(true), data, trainingData);
        assertThat(adapting[0]).isNotCloseTo(adapting[1], within(1e-3 * adapting[1]));
        double[] frozen = testLosses(trial(false), data, trainingData);
        assertThat(frozen[0]).isCloseTo(frozen[1], within(1e-6 * frozen[1]));
    }

    /**
     * The train job evaluates on copies of its network; a trial evaluates its own, so what at_inference moves during
     * the evaluation must be put back: otherwise the epoch after it trains from a state the evaluation moved, and
     * the evaluation minibatch would change how the trial trains.
     */
    @Test
    void whatTheEvaluationMovesNeverReachesTheNextEpochsTraining() {
        Trial trial = trial(true);
        LoadedDataset data = DatasetLoader.load(SPARK.session(), trial.config().data(), NetworkConfig.INFERRED);
        TrainingData trainingData = LegacyEncoding.of(data);
        TrialProgress[] runs = trainAtBothSizes(trial, data, trainingData, 2);
        assertThat(runs[0].finalTrainLoss()).as("the second epoch's training loss after evaluating in minibatches of 7")
                .isEqualTo(runs[1].finalTrainLoss());
    }

    /** One epoch's test loss with the trial's evaluation batch size (7), then with one batch of the whole split. */
    private static double[] testLosses(Trial trial, LoadedDataset data, TrainingData trainingData) {
        TrialProgress[] runs = trainAtBothSizes(trial, data, trainingData, 1);
        double[] losses = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            assertThat(runs[i].evaluations().get(0).examples()).isEqualTo(data.testRows()).isGreaterThan(7);
            losses[i] = runs[i].evaluations().get(0).loss();
        }
        return losses;
    }

    /** The trial trained for {@code epochs} with its evaluation batch size (7), then with the default (1,024). */
    private static TrialProgress[] trainAtBothSizes(Trial trial, LoadedDataset data, TrainingData trainingData,
                                                    int epochs) {
        TrainingSettings training = trial.config().training();
        assertThat(training.evaluationBatchSize()).isEqualTo(7);
        String configuration = NetworkFactory.configuration(
                trial.config().networkFor(data.features(), data.target(), data.source()),
                NetworkFactory.Rewiring.BY_LAYER, DataType.FLOAT).toJson();
        int[] sizes = {training.evaluationBatchSize(), TrainingSettings.DEFAULT_EVALUATION_BATCH_SIZE};
        TrialProgress[] runs = new TrialProgress[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            TrialWork work = new TrialWork(trial.trialId(), "run", configuration, training.batchSizePerWorker(), 0, epochs,
                    0, trial.seed(), false, 0, training.augmentation(), training.shrinkAndPerturb(), sizes[i], null, false);
            runs[i] = TrialTask.train(work, () -> trainingData, "x");
            assertThat(runs[i].error()).isNull();
            assertThat(runs[i].evaluations()).hasSize(epochs);
        }
        return runs;
    }

    /** The tiny base's trial with a trace that moves the output (alpha 0.5) quickly, and {@code at_inference}. */
    private static Trial trial(boolean atInference) {
        return SweepConfig.read(ConfigDocument.parse("sweep.yaml", SweepFiles.BASE
                + "method: grid\nparameters: {network.seed: {values: [3]}}\n", List.of(
                "base.network.hidden.0.plasticity.hebbian={enabled: true, rule: oja, eta: 0.5, alpha: fixed, alpha_init: 0.5}",
                "base.network.hidden.0.plasticity.at_inference={enabled: " + atInference + ", reset: never}",
                "base.training.evaluation_batch_size=7"))).trials().get(0);
    }
}
