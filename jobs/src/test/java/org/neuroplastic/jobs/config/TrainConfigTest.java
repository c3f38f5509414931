package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.model.network.NetworkSpec;
import org.neuroplastic.model.network.OutputSpec;
import org.neuroplastic.model.network.ShrinkAndPerturb;
import org.neuroplastic.model.network.UpdaterSpec;
import org.neuroplastic.model.plasticity.ContinualBackpropSettings;
import org.neuroplastic.model.plasticity.HebbianRule;
import org.neuroplastic.model.plasticity.InferencePlasticity;
import org.neuroplastic.model.plasticity.Regrowth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainConfigTest {

    private static final String SYNTHETIC = """
            data:
              format: synthetic
              generator: regression
              rows: 2000
            network:
              n_in: 10
              hidden:
                - size: 32
                  activation: relu
                  plasticity:
                    hebbian: {enabled: true, rule: decay, eta: 0.05}
                    structural: {enabled: true, density: 0.5, regrowth: hebbian}
                - size: 16
            training:
              epochs: 3
            """;

    private static TrainConfig read(String yaml, String... sets) {
        return TrainConfig.read(ConfigDocument.parse("conf/t.yaml", yaml, List.of(sets)));
    }

    @Test
    void readsAValidConfigurationWithDefaults() {
        TrainConfig config = read(SYNTHETIC);
        assertThat(config.data()).isInstanceOf(DataSource.Synthetic.class);
        NetworkConfig network = config.network();
        assertThat(network.nIn()).isEqualTo(10);
        assertThat(network.hidden()).hasSize(2);
        assertThat(network.hidden().get(0).activation()).isEqualTo("relu");
        assertThat(network.hidden().get(0).plasticity().hebbian().rule()).isEqualTo(HebbianRule.DECAY);
        assertThat(network.hidden().get(0).plasticity().structural().regrowth()).isEqualTo(Regrowth.HEBBIAN);
        assertThat(network.hidden().get(1).activation()).isEqualTo("tanh");
        assertThat(network.hidden().get(1).plasticity().anyEnabled()).isFalse();
        assertThat(network.loss()).isEqualTo(OutputSpec.Loss.MSE);
        assertThat(network.variant()).isEqualTo(NetworkSpec.Variant.PLASTIC);
        assertThat(config.training().epochs()).isEqualTo(3);
        assertThat(config.training().workers()).isEqualTo(2);
        assertThat(config.training().averaging()).isEqualTo(TrainingSettings.Averaging.RESIDENT);
    }

    @Test
    void specTakesTheDataShapeWhenNInIsAuto() {
        TrainConfig config = read(SYNTHETIC, "network.n_in=auto");
        NetworkSpec spec = config.network().spec(7, Target.regression());
        assertThat(spec.nIn()).isEqualTo(7);
        assertThat(spec.output().size()).isEqualTo(1);
    }

    @Test
    void classificationDefaultsToSoftmaxAndCrossEntropy(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "a,label\n1,0\n");
        TrainConfig config = read("""
                data: {format: csv, path: %s, task: classification, classes: 3}
                network: {hidden: [{size: 4}]}
                """.formatted(csv));
        NetworkSpec spec = config.network().spec(1, config.data().target());
        assertThat(spec.output().activation()).isEqualTo("softmax");
        assertThat(spec.output().loss()).isEqualTo(OutputSpec.Loss.CROSS_ENTROPY);
        assertThat(spec.output().size()).isEqualTo(3);
        assertThat(((DataSource.Csv) config.data()).labelColumn()).isEqualTo("label");
    }

    @Test
    void effectiveConfigurationHoldsDefaultsAndOverrides() {
        String yaml = read(SYNTHETIC, "training.workers=3").effectiveYaml();
        assertThat(yaml).contains("workers: 3", "averaging_frequency: 10", "averaging: resident", "loss: mse",
                "test_fraction: 0.2", "variant: plastic");
        TrainConfig again = TrainConfig.read(ConfigDocument.parse("config.yaml", yaml, List.of()));
        assertThat(again.network()).isEqualTo(read(SYNTHETIC, "training.workers=3").network());
        assertThat(again.training().workers()).isEqualTo(3);
    }

    @Test
    void withEpochsKeepsTheDataTheNetworkEveryOtherSettingAndTheRecordedConfiguration() {
        TrainConfig config = read("""
                data:
                  format: synthetic
                  generator: classification
                  rows: 200
                  stream: {kind: split, classes_per_task: 1}
                network:
                  n_in: 10
                  hidden:
                    - size: 8
                training:
                  epochs: 4
                  consolidation: {method: ewc, lambda: 250, fisher_examples: 64}
                  augmentation: {image_width: 5, horizontal_flip: true, max_shift: 1}
                """);

        TrainConfig shorter = config.withEpochs(2);

        assertThat(shorter.training()).isEqualTo(config.training().withEpochs(2));
        assertThat(shorter).usingRecursiveComparison().ignoringFields("training.epochs").isEqualTo(config);
        assertThat(shorter.effectiveYaml()).isSameAs(config.effectiveYaml()).contains("epochs: 4");
    }

    @Test
    void unknownKeyIsNamedWithTheFileAndTheKnownKeys() {
        assertThatThrownBy(() -> read(SYNTHETIC.replace("epochs: 3", "epoch: 3")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("conf/t.yaml: unknown key training.epoch (known keys here: workers,");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("eta: 0.05", "eta: 0.05, speed: 2")))
                .hasMessageStartingWith("conf/t.yaml: unknown key network.hidden[0].plasticity.hebbian.speed");
        assertThatThrownBy(() -> read(SYNTHETIC + "extra: 1\n"))
                .hasMessageStartingWith("conf/t.yaml: unknown key extra (known keys here: data, network, training)");
    }

    @Test
    void wrongTypeIsNamed() {
        assertThatThrownBy(() -> read(SYNTHETIC.replace("epochs: 3", "epochs: three")))
                .hasMessage("conf/t.yaml: training.epochs must be an integer, found text 'three'");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("epochs: 3", "epochs: 2.5")))
                .hasMessage("conf/t.yaml: training.epochs must be an integer, found 2.5");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("enabled: true, rule: decay", "enabled: yes please, rule: decay")))
                .hasMessage("conf/t.yaml: network.hidden[0].plasticity.hebbian.enabled must be true or false, found text 'yes please'");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("activation: relu", "activation: wiggle")))
                .hasMessageStartingWith("conf/t.yaml: network.hidden[0].activation must be one of ")
                .hasMessageEndingWith(", found text 'wiggle'");
        assertThatThrownBy(() -> read(SYNTHETIC, "training=5"))
                .hasMessage("--set training=5: training must be a mapping, found 5");
    }

    @Test
    void outOfRangeValueIsNamed() {
        assertThatThrownBy(() -> read(SYNTHETIC.replace("epochs: 3", "epochs: 0")))
                .hasMessage("conf/t.yaml: training.epochs must be >= 1, found 0");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("density: 0.5", "density: 1.5")))
                .hasMessage("conf/t.yaml: network.hidden[0].plasticity.structural.density must be in (0, 1], found 1.5");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("size: 16", "size: 0")))
                .hasMessage("conf/t.yaml: network.hidden[1].size must be >= 1, found 0");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.updater.learning_rate=-1"))
                .hasMessage("--set network.updater.learning_rate=-1: network.updater.learning_rate must be a finite number > 0, found -1.0");
        assertThatThrownBy(() -> read(SYNTHETIC, "data.test_fraction=1"))
                .hasMessage("--set data.test_fraction=1: data.test_fraction must be in [0, 1), found 1.0");
    }

    @Test
    void weightDecayDefaultsToOffAndReachesTheSpec() {
        assertThat(read(SYNTHETIC).network().spec(10, Target.regression()).weightDecay()).isZero();
        NetworkSpec spec = read(SYNTHETIC, "network.weight_decay=0.05").network().spec(10, Target.regression());
        assertThat(spec.weightDecay()).isEqualTo(0.05);
    }

    @Test
    void weightDecayMustBeFiniteAndNotNegative() {
        assertThatThrownBy(() -> read(SYNTHETIC, "network.weight_decay=-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--set network.weight_decay=-1: network.weight_decay must be a finite number >= 0, found -1.0");
        assertThatThrownBy(() -> read(SYNTHETIC.replace("  n_in: 10", "  n_in: 10\n  weight_decay: -0.5")))
                .hasMessage("conf/t.yaml: network.weight_decay must be a finite number >= 0, found -0.5");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.weight_decay=lots"))
                .hasMessage("--set network.weight_decay=lots: network.weight_decay must be a number, found text 'lots'");
    }

    @Test
    void dropoutAndLearningRateDecayDefaultToOffAndReachTheSpec() {
        NetworkSpec plain = read(SYNTHETIC).network().spec(10, Target.regression());
        assertThat(plain.hidden()).allSatisfy(layer -> assertThat(layer.dropout()).isZero());
        assertThat(plain.updater().decay().decays()).isFalse();

        NetworkSpec spec = read(SYNTHETIC, "network.hidden.1.dropout=0.3",
                "network.updater.learning_rate_decay={every_epochs: 5, factor: 0.2}").network().spec(10, Target.regression());
        assertThat(spec.hidden().get(0).dropout()).isZero();
        assertThat(spec.hidden().get(1).dropout()).isEqualTo(0.3);
        assertThat(spec.updater().decay()).isEqualTo(new UpdaterSpec.LearningRateDecay(5, 0.2));
    }

    @Test
    void plasticityAtInferenceDefaultsToOffAndReachesTheSpec() {
        TrainConfig config = read(SYNTHETIC, "network.hidden.0.plasticity.at_inference.enabled=true",
                "network.hidden.0.plasticity.at_inference.reset=per_batch");
        NetworkSpec spec = config.network().spec(10, Target.regression());
        assertThat(spec.hidden().get(0).plasticity().atInference())
                .isEqualTo(new InferencePlasticity(true, InferencePlasticity.Reset.PER_BATCH));
        assertThat(spec.hidden().get(1).plasticity().atInference()).isEqualTo(InferencePlasticity.off());
    }

    @Test
    void plasticityAtInferencePerTaskIsAcceptedAndUnknownResetsAreRefusedInOneLine() {
        TrainConfig config = read(SYNTHETIC, "network.hidden.0.plasticity.at_inference={enabled: true, reset: per_task}");
        assertThat(config.network().spec(10, Target.regression()).hidden().get(0).plasticity().atInference())
                .isEqualTo(new InferencePlasticity(true, InferencePlasticity.Reset.PER_TASK));
        assertThatThrownBy(() -> read(SYNTHETIC, "network.hidden.0.plasticity.at_inference.reset=sometimes"))
                .hasMessageStartingWith("--set network.hidden.0.plasticity.at_inference.reset=sometimes: "
                        + "network.hidden[0].plasticity.at_inference.reset must be one of ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void dropoutAndLearningRateDecayOutOfRangeAreReportedWithTheirPath() {
        assertThatThrownBy(() -> read(SYNTHETIC, "network.hidden.0.dropout=1"))
                .hasMessage("--set network.hidden.0.dropout=1: network.hidden[0].dropout must be in [0, 1), found 1.0");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.updater.learning_rate_decay.factor=1.5"))
                .hasMessage("--set network.updater.learning_rate_decay.factor=1.5: "
                        + "network.updater.learning_rate_decay.factor must be in (0, 1], found 1.5");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.updater.learning_rate_decay.every_epochs=0"))
                .hasMessage("--set network.updater.learning_rate_decay.every_epochs=0: "
                        + "network.updater.learning_rate_decay.every_epochs must be >= 1, found 0");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.updater.learning_rate_decay.after=3"))
                .hasMessage("--set network.updater.learning_rate_decay.after=3: unknown key "
                        + "network.updater.learning_rate_decay.after (known keys here: every_epochs, factor)");
    }

    @Test
    void augmentationDefaultsToOffAndIsReadWhole() {
        assertThat(read(SYNTHETIC).training().augmentation()).isEqualTo(AugmentationSettings.NONE);
        assertThat(read(SYNTHETIC, "training.augmentation={image_width: 5, horizontal_flip: true, max_shift: 2}")
                .training().augmentation()).isEqualTo(new AugmentationSettings(5, true, 2));
    }

    @Test
    void augmentationNeedsAnImageWidthWiderThanTheShiftAndTheResidentMaster() {
        assertThatThrownBy(() -> read(SYNTHETIC, "training.augmentation.horizontal_flip=true"))
                .hasMessage("conf/t.yaml: training.augmentation.image_width must be "
                        + "given (pixels per image row) when horizontal_flip or max_shift is on");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.augmentation={image_width: 2, max_shift: 2}"))
                .hasMessage("--set training.augmentation={image_width: 2, max_shift: 2}: "
                        + "training.augmentation.max_shift must be less than image_width 2, found 2");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.augmentation={image_width: 2, max_shift: 1}",
                "training.averaging=stock"))
                .hasMessageEndingWith("training.augmentation needs training.averaging resident, found stock");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.augmentation.rotate=10"))
                .hasMessageContaining("unknown key training.augmentation.rotate (known keys here: image_width, "
                        + "horizontal_flip, max_shift)");
    }

    @Test
    void continualBackpropIsOffUntilAReplacementRateIsGivenAndTakesDoharesValuesForTheOtherKeys() {
        assertThat(read(SYNTHETIC).network().continualBackprop()).isEqualTo(ContinualBackpropSettings.OFF);
        assertThat(read(SYNTHETIC, "network.continual_backprop={}").network().continualBackprop())
                .isEqualTo(ContinualBackpropSettings.OFF);
        assertThat(read(SYNTHETIC, "network.continual_backprop.replacement_rate=1e-4").network().continualBackprop())
                .isEqualTo(new ContinualBackpropSettings(1e-4, 100, 0.99));
        assertThat(read(SYNTHETIC, "network.continual_backprop={replacement_rate: 1e-3, maturity_threshold: 50, "
                + "utility_decay: 0.9}").network().continualBackprop())
                .isEqualTo(new ContinualBackpropSettings(1e-3, 50, 0.9));
    }

    @Test
    void continualBackpropRefusesValuesOutOfRangeUnknownKeysTheDenseVariantsAndTheStockMaster() {
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.replacement_rate=2"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("network.continual_backprop.replacement_rate must be in [0, 1], found 2.0");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.maturity_threshold=0"))
                .hasMessageEndingWith("network.continual_backprop.maturity_threshold must be >= 1, found 0");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.utility_decay=1"))
                .hasMessageEndingWith("network.continual_backprop.utility_decay must be in [0, 1), found 1.0");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.rate=0.1"))
                .hasMessageContaining("unknown key network.continual_backprop.rate (known keys here: replacement_rate, "
                        + "maturity_threshold, utility_decay)");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.replacement_rate=1e-4",
                "network.variant=dense"))
                .hasMessageEndingWith("network.continual_backprop needs variant plastic (its layers keep the units' "
                        + "utilities and ages), found dense");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.replacement_rate=1e-4",
                "network.variant=dense_matched"))
                .hasMessageEndingWith("network.continual_backprop needs variant plastic (its layers keep the units' "
                        + "utilities and ages), found dense_matched");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.continual_backprop.replacement_rate=1e-4",
                "training.averaging=stock"))
                .hasMessageEndingWith("network.continual_backprop needs training.averaging resident, found stock");
    }

    @Test
    void shrinkAndPerturbDefaultsToOffAndIsReadWhole() {
        assertThat(read(SYNTHETIC).training().shrinkAndPerturb()).isEqualTo(ShrinkAndPerturb.OFF);
        assertThat(read(SYNTHETIC, "training.shrink_and_perturb={shrink: 0.999, noise: 1e-4, every: 5}")
                .training().shrinkAndPerturb()).isEqualTo(new ShrinkAndPerturb(0.999, 1e-4, 5));
        assertThat(read(SYNTHETIC, "training.shrink_and_perturb.noise=1e-5").training().shrinkAndPerturb())
                .isEqualTo(new ShrinkAndPerturb(1, 1e-5, 1));
    }

    @Test
    void shrinkAndPerturbRefusesValuesOutOfRangeUnknownKeysAndTheStockMaster() {
        assertThatThrownBy(() -> read(SYNTHETIC, "training.shrink_and_perturb.shrink=0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("training.shrink_and_perturb.shrink must be in (0, 1], found 0.0");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.shrink_and_perturb.noise=-0.1"))
                .hasMessageEndingWith("training.shrink_and_perturb.noise must be a finite number >= 0, found -0.1");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.shrink_and_perturb.every=0"))
                .hasMessageEndingWith("training.shrink_and_perturb.every must be >= 1, found 0");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.shrink_and_perturb.sigma=0.1"))
                .hasMessageContaining("unknown key training.shrink_and_perturb.sigma (known keys here: shrink, noise, "
                        + "every)");
        assertThatThrownBy(() -> read(SYNTHETIC, "training.shrink_and_perturb.noise=1e-4", "training.averaging=stock"))
                .hasMessageEndingWith("training.shrink_and_perturb needs training.averaging resident, found stock");
    }

    @Test
    void augmentationRefusesFeaturesThatAreNotWholeImageRows() {
        AugmentationSettings settings = new AugmentationSettings(28, true, 2);
        settings.requireImagesOf(784, "train.idx");
        assertThatThrownBy(() -> settings.requireImagesOf(785, "train.idx"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("train.idx: 785 features are not images of whole rows of training.augmentation.image_width "
                        + "28 pixels");
        assertThatThrownBy(() -> settings.requireImagesOf(56, "train.idx"))
                .hasMessage("train.idx: 56 features are not images of whole rows of training.augmentation.image_width "
                        + "28 pixels taller than max_shift 2");
    }

    @Test
    void mechanismRulesOfTheModelAreReportedWithTheirPath() {
        assertThatThrownBy(() -> read(SYNTHETIC, "network.hidden.0.plasticity.hebbian.enabled=false"))
                .hasMessageStartingWith("conf/t.yaml: network.hidden[0].plasticity.structural.regrowth must be random");
    }

    @Test
    void lossMustFitTheTask() {
        assertThatThrownBy(() -> read(SYNTHETIC, "network.output.loss=cross_entropy"))
                .hasMessage("--set network.output.loss=cross_entropy: network.output.loss must be mse for a regression data set, found cross_entropy");
    }

    @Test
    void missingDataFileIsNamed() {
        assertThatThrownBy(() -> read("""
                data: {format: csv, path: no/such.csv, task: regression}
                network: {hidden: [{size: 4}]}
                """))
                .hasMessage("conf/t.yaml: data.path names no/such.csv, which does not exist");
    }

    @Test
    void keysOfAnotherFormatAreRejected(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "a,label\n1,0\n");
        assertThatThrownBy(() -> read("""
                data: {format: csv, path: %s, task: regression, images: x.idx}
                network: {hidden: [{size: 4}]}
                """.formatted(csv)))
                .hasMessageStartingWith("conf/t.yaml: unknown key data.images");
    }

    @Test
    void classificationNeedsAClassCount(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "a,label\n1,0\n");
        assertThatThrownBy(() -> read("""
                data: {format: csv, path: %s, task: classification}
                network: {hidden: [{size: 4}]}
                """.formatted(csv)))
                .hasMessage("conf/t.yaml: data.classes is required");
    }

    @Test
    void keyWithoutValueIsRejectedRatherThanDefaulted() {
        assertThatThrownBy(() -> read(SYNTHETIC.replace("epochs: 3", "epochs:")))
                .hasMessage("conf/t.yaml: training.epochs has no value; give one or remove the key to use the default");
        assertThatThrownBy(() -> read(SYNTHETIC, "network.n_in="))
                .hasMessage("--set network.n_in=: network.n_in has no value; give one or remove the key to use the default");
    }

    @Test
    void emptySectionTakesItsDefaults() {
        assertThat(read(SYNTHETIC.replace("training:\n  epochs: 3\n", "training:\n")).training().epochs()).isEqualTo(5);
    }

    @Test
    void hiddenLayersAreRequired() {
        assertThatThrownBy(() -> read(SYNTHETIC, "network.hidden=[]"))
                .hasMessage("--set network.hidden=[]: network.hidden must list at least one entry, found an empty list");
    }

    private static String idx(Path dir, boolean withTestFiles) throws Exception {
        for (String name : List.of("img", "lbl", "test-img", "test-lbl")) {
            Files.write(dir.resolve(name), new byte[0]);
        }
        String test = withTestFiles ? ", test_images: %s, test_labels: %s".formatted(dir.resolve("test-img"),
                dir.resolve("test-lbl")) : "";
        return """
                data: {format: idx, images: %s, labels: %s%s}
                network: {hidden: [{size: 4}]}
                """.formatted(dir.resolve("img"), dir.resolve("lbl"), test);
    }

    @Test
    void idxLimitsDefaultToAllAndTakeCounts(@TempDir Path dir) throws Exception {
        DataSource.Idx all = (DataSource.Idx) read(idx(dir, true)).data();
        assertThat(all.limit()).isEqualTo(DataSource.Idx.ALL);
        assertThat(all.testLimit()).isEqualTo(DataSource.Idx.ALL);
        TrainConfig limited = read(idx(dir, true), "data.limit=2000", "data.test_limit=500");
        assertThat(((DataSource.Idx) limited.data()).limit()).isEqualTo(2000);
        assertThat(((DataSource.Idx) limited.data()).testLimit()).isEqualTo(500);
        assertThat(limited.effectiveYaml()).contains("limit: 2000").contains("test_limit: 500");
        assertThat(read(idx(dir, true), "data.limit=all").effectiveYaml()).contains("limit: all");
    }

    @Test
    void idxLimitsMustBePositive(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> read(idx(dir, true), "data.limit=0"))
                .hasMessage("--set data.limit=0: data.limit must be >= 1 or all, found 0");
        assertThatThrownBy(() -> read(idx(dir, true), "data.test_limit=-5"))
                .hasMessage("--set data.test_limit=-5: data.test_limit must be >= 1 or all, found -5");
        assertThatThrownBy(() -> read(idx(dir, true), "data.limit=some"))
                .hasMessage("--set data.limit=some: data.limit must be an integer or all, found text 'some'");
    }

    @Test
    void idxTestLimitNeedsATestFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> read(idx(dir, false), "data.test_limit=500"))
                .hasMessageStartingWith("--set data.test_limit=500: unknown key data.test_limit");
    }
}
