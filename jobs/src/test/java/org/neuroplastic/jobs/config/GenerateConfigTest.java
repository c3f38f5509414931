package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerateConfigTest {

    private static GenerateConfig read(String yaml, String... sets) {
        return GenerateConfig.read(ConfigDocument.parse("conf/g.yaml", yaml, List.of(sets)).root());
    }

    @Test
    void regressionDefaultsAreTheReferences() {
        GenerateConfig config = read("generator: regression\n");
        assertThat(config.features()).isEqualTo(10);
        assertThat(config.signalVariance()).isEqualTo(120.0);
        assertThat(config.noiseStd()).isEqualTo(1.0);
        assertThat(config.target()).isEqualTo(Target.regression());
    }

    @Test
    void classificationReadsItsOwnKeys() {
        GenerateConfig config = read("generator: classification\nclasses: 4\nfeatures: 6\nclass_separation: 2.0\n");
        assertThat(config.target()).isEqualTo(Target.classification(4));
        assertThat(config.features()).isEqualTo(6);
        assertThat(config.classSeparation()).isEqualTo(2.0);
    }

    @Test
    void keysOfTheOtherGeneratorAreRejected() {
        assertThatThrownBy(() -> read("generator: regression\nclasses: 3\n"))
                .hasMessageStartingWith("conf/g.yaml: unknown key classes (known keys here: generator, rows,");
        assertThatThrownBy(() -> read("generator: classification\nsignal_variance: 3\n"))
                .hasMessageStartingWith("conf/g.yaml: unknown key signal_variance");
    }

    @Test
    void generatorIsRequiredAndChecked() {
        assertThatThrownBy(() -> read("rows: 1000\n")).hasMessage("conf/g.yaml: generator is required");
        assertThatThrownBy(() -> read("generator: spirals\n"))
                .hasMessage("conf/g.yaml: generator must be one of regression, classification, found text 'spirals'");
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> read("generator: classification\nclasses: 1\n"))
                .hasMessage("conf/g.yaml: classes must be >= 2, found 1");
        assertThatThrownBy(() -> read("generator: regression\npartitions: 0\n"))
                .hasMessage("conf/g.yaml: partitions must be in [1, 100000], found 0");
        assertThatThrownBy(() -> read("generator: regression\ntest_fraction: -0.1\n"))
                .hasMessage("conf/g.yaml: test_fraction must be in [0, 1), found -0.1");
        assertThatThrownBy(() -> read("generator: regression\nnoise_std: -1\n"))
                .hasMessage("conf/g.yaml: noise_std must be a finite number >= 0, found -1.0");
    }
}
