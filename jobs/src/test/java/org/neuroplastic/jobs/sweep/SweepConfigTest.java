package org.neuroplastic.jobs.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.LocalFiles;
import org.neuroplastic.model.network.NetworkSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepConfigTest {

    @TempDir
    Path dir;

    private static final String ETA = "network.hidden.0.plasticity.hebbian.eta";
    private static final String DENSITY = "network.hidden.0.plasticity.structural.density";

    @Test
    void gridRunsEveryCombinationTimesReplicasWithTheLastKeyFastest() {
        SweepConfig sweep = SweepFiles.sweep("""
                method: grid
                parameters:
                  network.hidden.0.plasticity.hebbian.eta: {values: [0.001, 0.01, 0.1]}
                  network.hidden.0.plasticity.structural.density: {values: [0.25, 0.75]}
                replicas: 2
                """);
        assertThat(sweep.count()).isEqualTo(6);
        assertThat(sweep.trials()).hasSize(12);
        assertThat(sweep.trials()).extracting(Trial::trialId).startsWith("t0000", "t0001").endsWith("t0011");
        Trial t2 = sweep.trials().get(2);
        assertThat(t2.setting()).isEqualTo(1);
        assertThat(t2.replica()).isZero();
        assertThat(t2.parameters()).containsExactly(Map.entry(ETA, "0.001"), Map.entry(DENSITY, "0.75"));
        assertThat(t2.config().network().hidden().get(0).plasticity().structural().density()).isEqualTo(0.75);
        assertThat(t2.config().network().hidden().get(0).plasticity().hebbian().eta()).isEqualTo(0.001);
        assertThat(sweep.trials().stream().map(Trial::parameters).distinct()).hasSize(6);
    }

    @Test
    void theVariantIsSweptOverThePlasticNetworkAndBothDenseBaselinesWithTheSameSeedsPerReplica() {
        SweepConfig sweep = SweepFiles.sweep("""
                method: grid
                parameters:
                  network.variant: {values: [plastic, dense, dense_matched]}
                replicas: 2
                """);
        assertThat(sweep.trials()).extracting(t -> t.config().network().variant()).containsExactly(
                NetworkSpec.Variant.PLASTIC, NetworkSpec.Variant.PLASTIC, NetworkSpec.Variant.DENSE,
                NetworkSpec.Variant.DENSE, NetworkSpec.Variant.DENSE_MATCHED, NetworkSpec.Variant.DENSE_MATCHED);
        // Swept values are kept as JSON text, a string in quotes.
        assertThat(sweep.trials().get(4).parameters()).containsExactly(Map.entry("network.variant", "\"dense_matched\""));
        // Replica r of every variant has the same network seed, which analyze --baseline pairs by.
        assertThat(sweep.trials()).extracting(t -> t.config().network().seed()).containsExactly(3L, 4L, 3L, 4L, 3L, 4L);
    }

    @Test
    void rejectsABaseWithAContinualLearningStream() {
        String streamed = SweepFiles.BASE.replace("test_fraction: 0.25}",
                "test_fraction: 0.25, stream: {kind: permuted, tasks: 2}}");
        assertThatThrownBy(() -> SweepConfig.read(ConfigDocument.parse("sweep.yaml", streamed + """
                method: grid
                parameters:
                  training.epochs: {values: [1]}
                """, List.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.stream (continual learning) is trained by the train job only; "
                        + "sweeps do not support it");
    }

    @Test
    void replicasShiftTheNetworkAndDataSeedsAndNothingElse() {
        SweepConfig sweep = SweepFiles.sweep("""
                method: grid
                parameters:
                  training.epochs: {values: [1]}
                replicas: 3
                """);
        assertThat(sweep.trials()).extracting(Trial::seed).containsExactly(3L, 4L, 5L);
        assertThat(sweep.trials()).extracting(Trial::dataSeed).containsExactly(1L, 2L, 3L);
        assertThat(sweep.trials()).extracting(t -> t.config().network().seed()).containsExactly(3L, 4L, 5L);
        assertThat(sweep.trials()).extracting(t -> ((DataSource.Synthetic) t.config().data()).generator().seed())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void randomDrawsCountSettingsInsideTheirRangesAndTheSameOnesForTheSameSeed() {
        String file = """
                method: random
                count: 200
                seed: 11
                parameters:
                  network.hidden.0.plasticity.hebbian.eta: {distribution: log_uniform, min: 0.0001, max: 0.1}
                  network.hidden.0.plasticity.structural.density: {distribution: uniform, min: 0.2, max: 0.9}
                  network.hidden.0.size: {distribution: int_uniform, min: 2, max: 5}
                  network.hidden.0.activation: {values: [relu, tanh]}
                """;
        SweepConfig sweep = SweepFiles.sweep(file);
        assertThat(sweep.trials()).hasSize(200);
        List<Double> etas = sweep.trials().stream()
                .map(t -> t.config().network().hidden().get(0).plasticity().hebbian().eta()).toList();
        assertThat(etas).allSatisfy(eta -> assertThat(eta).isBetween(0.0001, 0.1));
        // Log-uniform: about a third of the draws in each decade of [1e-4, 1e-1].
        assertThat(etas.stream().filter(eta -> eta < 0.001).count()).isBetween(40L, 95L);
        assertThat(sweep.trials()).extracting(t -> t.config().network().hidden().get(0).plasticity().structural().density())
                .allSatisfy(d -> assertThat(d).isBetween(0.2, 0.9));
        Set<Integer> sizes = sweep.trials().stream().map(t -> t.config().network().hidden().get(0).size())
                .collect(Collectors.toSet());
        assertThat(sizes).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(sweep.trials()).extracting(t -> t.config().network().hidden().get(0).activation())
                .containsOnly("relu", "tanh");

        assertThat(SweepFiles.sweep(file).trials()).extracting(Trial::parameters)
                .isEqualTo(sweep.trials().stream().map(Trial::parameters).toList());
        assertThat(SweepFiles.sweep(file.replace("seed: 11", "seed: 12")).trials()).extracting(Trial::parameters)
                .isNotEqualTo(sweep.trials().stream().map(Trial::parameters).toList());
    }

    @Test
    void baseIsReadRelativeToTheSweepFile() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/base.yaml"), SweepFiles.BASE.replaceFirst("base:\n", "")
                .lines().map(l -> l.length() >= 2 ? l.substring(2) : l).collect(Collectors.joining("\n")));
        Path sweepFile = dir.resolve("conf/sweep.yaml");
        Files.writeString(sweepFile, """
                base: base.yaml
                method: grid
                parameters:
                  training.epochs: {values: [1, 3]}
                """);
        SweepConfig sweep = SweepConfig.read(LocalFiles.load(sweepFile, List.of()));
        assertThat(sweep.trials()).extracting(Trial::epochs).containsExactly(1, 3);
        assertThat(sweep.effectiveYaml()).contains("hebbian").contains("mode: parallel");
    }

    @Test
    void anInvalidCombinationNamesTheTrialAndTheKey() {
        assertThatThrownBy(() -> SweepFiles.sweep("""
                method: grid
                parameters:
                  network.hidden.0.plasticity.structural.density: {values: [0.5, 1.5]}
                """))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("sweep.yaml: trial t0001 (" + DENSITY + "=1.5, replica 0) is invalid: ")
                .hasMessageContaining("density")
                .hasMessageNotContaining("\n");
    }

    @Test
    void invalidSweepFilesGetOneLineNamingTheKey() {
        assertInvalid("method: grid\nparameters:\n  network.hidden.0.nope: {values: [1]}\n",
                "sweep.yaml: parameters.network.hidden.0.nope names no value of the base configuration");
        assertInvalid("method: grid\nparameters:\n  training.epochs: {values: []}\n",
                "sweep.yaml: parameters.training.epochs.values must be a non-empty list, found an empty list");
        assertInvalid("method: random\ncount: 2\nparameters:\n  " + ETA + ": {distribution: uniform, min: 0.5, max: 0.1}\n",
                "sweep.yaml: parameters." + ETA + ": min must be <= max, found min 0.5 > max 0.1");
        assertInvalid("method: random\ncount: 2\nparameters:\n  network.hidden.0.activation: {distribution: uniform, min: 0, max: 1}\n",
                "sweep.yaml: parameters.network.hidden.0.activation.distribution needs a numeric key, but "
                        + "network.hidden.0.activation is text 'relu' in the base configuration");
        assertInvalid("method: grid\nparameters:\n  training.epochs: {values: [1]}\ncolour: blue\n",
                "sweep.yaml: unknown key colour");
        assertInvalid("method: grid\nparameters:\n  " + ETA + ": {distribution: uniform, min: 0, max: 1}\n",
                "sweep.yaml: parameters." + ETA + ".values is required for method grid");
        assertInvalid("method: grid\nparameters:\n  training.epochs: {values: [1]}\nmetric: {name: test_accuracy}\n",
                "sweep.yaml: metric.name test_accuracy needs a classification data set");
        assertInvalid("method: grid\nparameters:\n  training.epochs: {values: [3]}\nearly_stop: {rungs: 2, min_epochs: 2}\n",
                "sweep.yaml: trial t0000 (training.epochs=3, replica 0) is invalid: early_stop's last rung is after epoch 4");
        assertInvalid("method: random\nparameters:\n  training.epochs: {values: [3]}\n", "sweep.yaml: count is required");
    }

    /** Found by SweepConfigFuzzTest: a huge rung count allocated a list of 2^31 rungs (OutOfMemoryError). */
    @Test
    void earlyStopWhoseLastRungIsBeyondAnyEpochCountIsRejected() {
        assertInvalid("method: grid\nparameters:\n  training.epochs: {values: [3]}\nearly_stop: {rungs: 2147483647}\n",
                "sweep.yaml: early_stop.rungs must be at most 31 with min_epochs 1 and reduction_factor 2 (the last rung's "
                        + "epoch must be below 2^31), found 2147483647");
        assertInvalid("method: grid\nparameters:\n  training.epochs: {values: [3]}\n"
                        + "early_stop: {rungs: 3, reduction_factor: 2147483647}\n",
                "sweep.yaml: early_stop.rungs must be at most 2 with min_epochs 1 and reduction_factor 2147483647");
    }

    /** Found by SweepConfigFuzzTest: a NUL in the base's file name escaped as java.nio.file.InvalidPathException. */
    @Test
    void baseThatNoFileNameCanHoldIsRejected() {
        assertThatThrownBy(() -> SweepConfig.read(ConfigDocument.parse("sweep.yaml",
                "base: \"a\\0b.yaml\"\nmethod: grid\nparameters: {training.epochs: {values: [1]}}\n", List.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("sweep.yaml: base must be a file path or URI, found text 'a\\u0000b.yaml' (a path cannot hold a NUL character)");
    }

    private static void assertInvalid(String rest, String messageStart) {
        assertThatThrownBy(() -> SweepFiles.sweep(rest))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(messageStart)
                .hasMessageNotContaining("\n");
    }
}
