package org.neuroplastic.jobs.config;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any train (or generate) configuration document, with any {@code --set} overrides, either
 * reads into a valid record or is rejected with a one-line {@link InvalidInputException}; a document
 * that reads is read back identically from its effective configuration (what a run stores beside its
 * results). Seeded by {@link FuzzSeed}.
 */
@AddLifecycleHook(FuzzSeed.class)
class TrainConfigFuzzTest {

    @Provide
    Arbitrary<String> arbitraryTrees() {
        return YamlDocuments.tree();
    }

    @Provide
    Arbitrary<String> mutatedShippedConfigurations() {
        return YamlDocuments.mutationOf("quickstart.yaml", "iris.yaml", "fashion-mnist.yaml");
    }

    @Provide
    Arbitrary<String> mutatedGeneratorConfigurations() {
        return YamlDocuments.mutationOf("generate-regression.yaml", "generate-classification.yaml");
    }

    @Provide
    Arbitrary<List<String>> sets() {
        return YamlDocuments.sets();
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE,
            afterFailure = AfterFailureMode.RANDOM_SEED)
    void arbitraryTreesReadOrFailInOneLine(@ForAll("arbitraryTrees") String text, @ForAll("sets") List<String> sets) {
        readTrain(text, sets);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE,
            afterFailure = AfterFailureMode.RANDOM_SEED)
    void mutatedShippedConfigurationsReadOrFailInOneLine(@ForAll("mutatedShippedConfigurations") String text,
                                                        @ForAll("sets") List<String> sets) {
        readTrain(text, sets);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE,
            afterFailure = AfterFailureMode.RANDOM_SEED)
    void mutatedGeneratorConfigurationsReadOrFailInOneLine(@ForAll("mutatedGeneratorConfigurations") String text,
                                                          @ForAll("sets") List<String> sets) {
        ConfigSection[] root = new ConfigSection[1];
        GenerateConfig config = ParserOutcome.parseOrReject(() -> {
            root[0] = ConfigDocument.parse("fuzz.yaml", text, sets).root();
            return GenerateConfig.read(root[0]);
        });
        Statistics.collect(config != null ? "read" : "rejected");
        if (config != null) {
            String effective = root[0].effectiveYaml();
            assertThat(GenerateConfig.read(ConfigDocument.parse("config.yaml", effective, List.of()).root()))
                    .isEqualTo(config);
        }
    }

    private static void readTrain(String text, List<String> sets) {
        TrainConfig config = ParserOutcome.parseOrReject(() -> TrainConfig.read(ConfigDocument.parse("fuzz.yaml", text, sets)));
        Statistics.collect(config != null ? "read" : "rejected");
        if (config != null) {
            TrainConfig reread = TrainConfig.read(ConfigDocument.parse("config.yaml", config.effectiveYaml(), List.of()));
            assertThat(reread.effectiveYaml()).isEqualTo(config.effectiveYaml());
            assertThat(reread.training()).isEqualTo(config.training());
            assertThat(reread.network()).isEqualTo(config.network());
        }
    }
}
