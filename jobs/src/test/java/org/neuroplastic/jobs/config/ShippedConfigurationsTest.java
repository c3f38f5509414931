package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.neuroplastic.model.network.LayerSpec;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.UpdaterSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Every configuration under conf/ is valid, read from the project root as bin/neuroplastic does. */
class ShippedConfigurationsTest {

    private static final Path ROOT = Path.of("..");

    private static ConfigDocument document(String name) throws Exception {
        String text = Files.readString(ROOT.resolve("conf").resolve(name));
        // Data paths in conf/ are relative to the project root; tests run in jobs/.
        return ConfigDocument.parse("conf/" + name, text.replace("path: data/", "path: ../data/"), List.of());
    }

    @Test
    void quickstartIsTheReferencesRegressionWithEveryMechanismOn() throws Exception {
        TrainConfig config = TrainConfig.read(document("quickstart.yaml"));
        GenerateConfig data = ((DataSource.Synthetic) config.data()).generator();
        assertThat(data.generator()).isEqualTo(GenerateConfig.Generator.REGRESSION);
        assertThat(data.features()).isEqualTo(10);
        assertThat(data.signalVariance() + data.noiseStd() * data.noiseStd()).isEqualTo(121.0);
        assertThat(config.network().nIn()).isEqualTo(10);
        assertThat(config.network().hidden()).extracting(l -> l.size()).containsExactly(32, 16);
        assertThat(config.network().hidden()).allSatisfy(layer -> {
            assertThat(layer.plasticity().hebbian().enabled()).isTrue();
            assertThat(layer.plasticity().scaling().enabled()).isTrue();
            assertThat(layer.plasticity().structural().enabled()).isTrue();
            assertThat(layer.plasticity().adaptation().enabled()).isTrue();
        });
        assertThat(config.network().spec(10, config.data().target()).output().size()).isEqualTo(1);
        assertThat(config.training().epochs()).isEqualTo(5);
    }

    @Test
    void generatorConfigurationsAreValid() throws Exception {
        assertThat(GenerateConfig.read(document("generate-regression.yaml").root()).rows()).isEqualTo(100_000);
        assertThat(GenerateConfig.read(document("generate-classification.yaml").root()).classes()).isEqualTo(5);
    }

    @Test
    void irisConfigurationIsValid() throws Exception {
        TrainConfig config = TrainConfig.read(document("iris.yaml"));
        assertThat(config.data().target()).isEqualTo(Target.classification(3));
    }

    @Test
    void wineStandardizesItsFeatures() throws Exception {
        TrainConfig config = TrainConfig.read(document("wine.yaml"));
        assertThat(config.data().target()).isEqualTo(Target.classification(3));
        assertThat(config.data().standardize()).isTrue();
    }

    @Test
    void fashionMnistConfigurationIsValidWhenTheDataIsInstalled() throws Exception {
        assumeThat(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")).exists();
        TrainConfig config = TrainConfig.read(document("fashion-mnist.yaml"));
        assertThat(config.network().spec(784, config.data().target()).output().size()).isEqualTo(10);
    }

    @Test
    void wideFashionMnistIsTheSameDataAndTrainingWithWiderDroppedOutLayersAndADecayingRate() throws Exception {
        assumeThat(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")).exists();
        TrainConfig plain = TrainConfig.read(document("fashion-mnist.yaml"));
        TrainConfig wide = TrainConfig.read(document("fashion-mnist-wide.yaml"));
        assertThat(wide.data()).isEqualTo(plain.data());
        assertThat(wide.network().hidden()).extracting(LayerSpec::size, LayerSpec::dropout)
                .containsExactly(tuple(1024, 0.3), tuple(512, 0.3));
        assertThat(wide.network().hidden()).extracting(LayerSpec::plasticity)
                .isEqualTo(plain.network().hidden().stream().map(LayerSpec::plasticity).toList());
        assertThat(wide.network().updater().decay()).isEqualTo(new UpdaterSpec.LearningRateDecay(10, 0.3));
        assertThat(wide.training().epochs()).isEqualTo(30);
    }

    @Test
    void continualLearningIsSplitDigitsInFiveClassIncrementalTasks() throws Exception {
        DataSource.Streamed data = (DataSource.Streamed) TrainConfig.read(document("continual-learning.yaml")).data();
        assertThat(data.source()).isInstanceOf(DataSource.Csv.class);
        assertThat(data.stream()).isEqualTo(TaskStream.Split.shared(2, 10, TaskStream.Scenario.CLASS_INCREMENTAL));
    }

    @Test
    void permutedDigitsIsFiveDomainIncrementalTasksOnAPlasticLayer() throws Exception {
        TrainConfig config = TrainConfig.read(document("continual-permuted-digits.yaml"));
        DataSource.Streamed data = (DataSource.Streamed) config.data();
        assertThat(data.source()).isInstanceOf(DataSource.Csv.class);
        assertThat(data.stream()).isEqualTo(TaskStream.Permuted.offline(5, 7));
        assertThat(config.network().hidden()).singleElement().satisfies(layer -> {
            assertThat(layer.plasticity().hebbian().enabled()).isTrue();
            assertThat(layer.plasticity().atInference().enabled()).isFalse();
        });
    }

    @Test
    void continualFashionMnistConfigurationsAreValidWhenTheDataIsInstalled() throws Exception {
        assumeThat(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")).exists();
        DataSource.Streamed permuted = (DataSource.Streamed) TrainConfig.read(
                document("continual-permuted-fashion-mnist.yaml")).data();
        assertThat(permuted.stream()).isEqualTo(TaskStream.Permuted.offline(5, 7));
        DataSource.Streamed split = (DataSource.Streamed) TrainConfig.read(
                document("continual-split-fashion-mnist.yaml")).data();
        assertThat(split.stream()).isEqualTo(TaskStream.Split.shared(2, 10, TaskStream.Scenario.CLASS_INCREMENTAL));
        TrainConfig online = TrainConfig.read(document("loss-of-plasticity.yaml"));
        assertThat(((DataSource.Streamed) online.data()).stream()).isEqualTo(new TaskStream.Permuted(100, 7, 2000));
        assertThat(online.network().hidden()).hasSize(1);
    }

    @Test
    void fashionMnistDenseBaselineDiffersOnlyInItsLayers() throws Exception {
        assumeThat(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")).exists();
        TrainConfig plastic = TrainConfig.read(document("fashion-mnist.yaml"));
        TrainConfig dense = TrainConfig.read(document("fashion-mnist-dense.yaml"));
        assertThat(dense.network().variant()).isEqualTo(NetworkSpec.Variant.DENSE);
        assertThat(plastic.network().variant()).isEqualTo(NetworkSpec.Variant.PLASTIC);
        assertThat(dense.data()).isEqualTo(plastic.data());
        assertThat(dense.training()).isEqualTo(plastic.training());
        assertThat(dense.network().updater()).isEqualTo(plastic.network().updater());
        assertThat(dense.network().seed()).isEqualTo(plastic.network().seed());
        assertThat(dense.network().hidden()).extracting(LayerSpec::size, LayerSpec::activation)
                .isEqualTo(plastic.network().hidden().stream().map(l -> tuple(l.size(), l.activation())).toList());
    }
}
