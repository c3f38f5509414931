package org.neuroplastic.model.consolidation;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.UpdaterSpec;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsolidationTrainingTest {

    /**
     * The empirical Fisher of a well-fitted regression is small (its largest entry is about 6e-4 here: the
     * residuals are small), so the penalty needs a large lambda to weigh against the second task's loss.
     */
    private static final double LAMBDA = 1e7;

    /** Regression with a target of sign {@code sign}: y = sign * (x0 - x1). */
    private static DataSet task(double sign, long seed) {
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), 64, 3).castTo(DataType.FLOAT).subi(0.5);
        INDArray y = x.getColumn(0).sub(x.getColumn(1)).muli(sign).reshape(64, 1);
        return new DataSet(x, y);
    }

    private static MultiLayerNetwork trainedOnFirstTask() {
        NetworkSpec spec = new NetworkSpec(3, List.of(new LayerSpec(8, "tanh", FisherInformationTest.EVERY_MECHANISM)),
                OutputSpec.regression(), UpdaterSpec.adam(0.02), 11, NetworkSpec.Variant.PLASTIC);
        MultiLayerNetwork net = NetworkFactory.build(spec);
        DataSet first = task(1, 1);
        for (int i = 0; i < 100; i++) {
            net.fit(first);
        }
        return net;
    }

    /** Distance of the learned parameters from the anchor after training on the opposite task. */
    private static double driftOnSecondTask(double lambda) {
        MultiLayerNetwork net = trainedOnFirstTask();
        ElasticWeightConsolidation ewc = ElasticWeightConsolidation.start(lambda, (int) net.numParams())
                .afterTask(net, List.of(task(1, 1)), 64, 1);
        PenaltyListener.attach(net, ewc.trainingPenalty());
        double[] anchor = net.params().toDoubleVector();
        double[] importance = ewc.importance();
        DataSet second = task(-1, 2);
        for (int i = 0; i < 100; i++) {
            net.fit(second);
        }
        double[] after = net.params().toDoubleVector();
        double sum = 0;
        for (int i = 0; i < after.length; i++) {
            if (importance[i] > 0) {
                sum += (after[i] - anchor[i]) * (after[i] - anchor[i]);
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void penaltyKeepsImportantParametersNearTheFirstTasksAnchor() {
        double naive = driftOnSecondTask(0);
        double consolidated = driftOnSecondTask(LAMBDA);

        assertThat(consolidated).isLessThan(naive / 4);
    }

    @Test
    void penaltyKeepsTheFirstTaskLossLowerThanNaiveFineTuning() {
        double naive = firstTaskLossAfterSecond(0);
        double consolidated = firstTaskLossAfterSecond(LAMBDA);

        assertThat(consolidated).isLessThan(naive / 2);
    }

    private static double firstTaskLossAfterSecond(double lambda) {
        MultiLayerNetwork net = trainedOnFirstTask();
        PenaltyListener.attach(net, ElasticWeightConsolidation.start(lambda, (int) net.numParams())
                .afterTask(net, List.of(task(1, 1)), 64, 1).trainingPenalty());
        DataSet second = task(-1, 2);
        for (int i = 0; i < 100; i++) {
            net.fit(second);
        }
        return net.score(task(1, 3), false);
    }
}
