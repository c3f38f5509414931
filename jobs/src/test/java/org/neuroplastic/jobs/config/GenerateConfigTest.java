package org.neuroplastic.jobs.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerateConfigTest {

    private static GenerateConfig read(String yaml, String... sets) {
        return GenerateConfig.read(ConfigDocument.parse("conf/g.yaml", yaml, List.of(sets)).root());
    }

    @Test
    void theFactoriesHaveTheDefaultsOfAFileThatGivesOnlyTheirKeys() {
        assertThat(GenerateConfig.regression(500, 3, 7, 0.25))
                .isEqualTo(read("generator: regression\nrows: 500\npartitions: 3\nseed: 7\ntest_fraction: 0.25\n"));
        assertThat(GenerateConfig.classification(500, 3, 7, 0.25))
                .isEqualTo(read("generator: classification\nrows: 500\npartitions: 3\nseed: 7\ntest_fraction: 0.25\n"));
    }

    /** Issue 18: each with-method changes its one key and keeps every other. */
    @Test
    void everyWithMethodChangesItsKeyAndKeepsEveryOther() throws ReflectiveOperationException {
        GenerateConfig every = new GenerateConfig(GenerateConfig.Generator.CLASSIFICATION, 900, 5, 11, 0.3, 2, 7, 0.5,
                0, 4, 2.5);
        GenerateConfig other = new GenerateConfig(GenerateConfig.Generator.CLASSIFICATION, 800, 6, 12, 0.4, 3, 8, 0.7,
                0, 5, 3.5);
        int withMethods = 0;
        for (RecordComponent changed : GenerateConfig.class.getRecordComponents()) {
            String name = "with" + Character.toUpperCase(changed.getName().charAt(0)) + changed.getName().substring(1);
            Method with;
            try {
                with = GenerateConfig.class.getMethod(name, changed.getType());
            } catch (NoSuchMethodException e) {
                continue;
            }
            withMethods++;
            GenerateConfig result = (GenerateConfig) with.invoke(every, changed.getAccessor().invoke(other));
            for (RecordComponent kept : GenerateConfig.class.getRecordComponents()) {
                GenerateConfig expected = kept.getName().equals(changed.getName()) ? other : every;
                assertThat(kept.getAccessor().invoke(result)).as(name + ": " + kept.getName())
                        .isEqualTo(kept.getAccessor().invoke(expected));
            }
        }
        assertThat(withMethods).isEqualTo(4);
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
