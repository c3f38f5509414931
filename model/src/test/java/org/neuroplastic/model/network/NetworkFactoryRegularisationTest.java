package org.neuroplastic.model.network;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.neuroplastic.model.layer.TinyPlasticLayer.values;

/** Dropout of hidden layers and step decay of the learning rate, as the built DL4J network applies them. */
class NetworkFactoryRegularisationTest {

    private static NetworkSpec twoHidden(NetworkSpec.Variant variant, double firstDropout, double secondDropout,
                                         UpdaterSpec updater) {
        return new NetworkSpec(6, List.of(
                new LayerSpec(40, "relu", NetworkFactoryTest.EVERY_MECHANISM, firstDropout),
                new LayerSpec(30, "relu", NetworkFactoryTest.EVERY_MECHANISM, secondDropout)),
                OutputSpec.classification(3), updater, 11, variant);
    }

    @Test
    void aHiddenLayersDropoutIsTheNextLayersInputDropoutAsAKeepProbability() {
        for (NetworkSpec.Variant variant : NetworkSpec.Variant.values()) {
            MultiLayerNetwork net = NetworkFactory.build(twoHidden(variant, 0.25, 0.5, UpdaterSpec.adam(0.01)));

            assertThat(net.getLayer(0).conf().getLayer().getIDropout()).as("%s input", variant).isNull();
            assertThat(((Dropout) net.getLayer(1).conf().getLayer().getIDropout()).getP()).as("%s", variant).isEqualTo(0.75);
            assertThat(((Dropout) net.getLayer(2).conf().getLayer().getIDropout()).getP()).as("%s", variant).isEqualTo(0.5);
        }
    }

    @Test
    void droppedUnitsAreZeroAndSurvivorsScaledByTheInverseKeepProbabilityInTrainingOnly() {
        for (NetworkSpec.Variant variant : NetworkSpec.Variant.values()) {
            MultiLayerNetwork net = NetworkFactory.build(twoHidden(variant, 0.5, 0, UpdaterSpec.adam(0.01)));
            INDArray x = Nd4j.rand(DataType.FLOAT, 64, 6);

            LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
            INDArray hidden = net.getLayer(0).activate(x, false, noWorkspaces);
            net.getLayer(1).activate(hidden.dup(), true, noWorkspaces);
            double[] seenByNext = values(net.getLayer(1).input());
            double[] produced = values(hidden);

            int dropped = 0;
            int kept = 0;
            for (int i = 0; i < produced.length; i++) {
                if (produced[i] == 0) {
                    continue;
                }
                if (seenByNext[i] == 0) {
                    dropped++;
                } else {
                    kept++;
                    assertThat(seenByNext[i]).as("%s unit %d", variant, i).isCloseTo(2 * produced[i], within(1e-5));
                }
            }
            // About half of ~1,000 active units each way; 350 is more than 4 standard deviations from 500.
            assertThat(dropped).as("%s dropped", variant).isGreaterThan(350);
            assertThat(kept).as("%s kept", variant).isGreaterThan(350);
            net.getLayer(1).activate(hidden.dup(), false, noWorkspaces);
            assertThat(values(net.getLayer(1).input())).as("%s inference", variant).containsExactly(produced);
        }
    }

    @Test
    void learningRateFallsByTheFactorEveryGivenEpochs() {
        UpdaterSpec sgd = new UpdaterSpec(UpdaterSpec.Name.SGD, 0.1, new UpdaterSpec.LearningRateDecay(2, 0.5));
        for (NetworkSpec.Variant variant : NetworkSpec.Variant.values()) {
            MultiLayerNetwork net = NetworkFactory.build(twoHidden(variant, 0, 0, sgd));
            net.initGradientsView();
            // lr(e) = 0.1 * 0.5^floor(e / 2): SGD turns a gradient of ones into lr(e) everywhere.
            double[][] expected = {{0, 0.1}, {1, 0.1}, {2, 0.05}, {3, 0.05}, {5, 0.025}};
            for (double[] epochAndRate : expected) {
                INDArray gradient = net.getGradientsViewArray();
                gradient.assign(1);
                net.getUpdater().update(net, new DefaultGradient(gradient), 0, (int) epochAndRate[0], 1,
                        LayerWorkspaceMgr.noWorkspaces());
                for (double step : values(net.getLayer(2).getGradientsViewArray())) {
                    assertThat(step).as("%s epoch %s", variant, epochAndRate[0]).isCloseTo(epochAndRate[1], within(1e-7));
                }
            }
        }
    }

    @Test
    void outOfRangeDropoutAndDecayAreRefused() {
        assertThatThrownBy(() -> new LayerSpec(4, "relu", NetworkFactoryTest.EVERY_MECHANISM, 1.0))
                .hasMessage("hidden layer dropout must be in [0, 1), found 1.0");
        assertThatThrownBy(() -> new LayerSpec(4, "relu", NetworkFactoryTest.EVERY_MECHANISM, -0.1))
                .hasMessage("hidden layer dropout must be in [0, 1), found -0.1");
        assertThatThrownBy(() -> new UpdaterSpec.LearningRateDecay(0, 0.5))
                .hasMessage("learning_rate_decay.every_epochs must be >= 1, found 0");
        assertThatThrownBy(() -> new UpdaterSpec.LearningRateDecay(3, 0))
                .hasMessage("learning_rate_decay.factor must be in (0, 1], found 0.0");
    }

    @Test
    void dropoutMasksDependOnlyOnTheNetworkSeedTheStepAndTheWorker() {
        for (NetworkSpec.Variant variant : NetworkSpec.Variant.values()) {
            NetworkSpec spec = twoHidden(variant, 0.5, 0.5, UpdaterSpec.adam(0.01));
            DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 32, 6), Nd4j.eye(3).castTo(DataType.FLOAT).repeat(0, 11)
                    .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 32), org.nd4j.linalg.indexing.NDArrayIndex.all()));

            MultiLayerNetwork first = NetworkFactory.build(spec);
            DropoutMasks.seedFor(first, 5, 1);
            first.fit(batch);
            MultiLayerNetwork second = NetworkFactory.build(spec);
            Nd4j.rand(DataType.FLOAT, 100);
            DropoutMasks.seedFor(second, 5, 1);
            second.fit(batch);
            MultiLayerNetwork otherWorker = NetworkFactory.build(spec);
            DropoutMasks.seedFor(otherWorker, 5, 0);
            otherWorker.fit(batch);

            assertThat(values(second.params())).as("%s same seed, step, worker", variant).containsExactly(values(first.params()));
            assertThat(values(otherWorker.params())).as("%s other worker", variant).isNotEqualTo(values(first.params()));
        }
    }
}
