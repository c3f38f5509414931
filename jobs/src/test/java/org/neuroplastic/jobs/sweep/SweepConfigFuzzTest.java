package org.neuroplastic.jobs.sweep;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.FuzzSeed;
import org.neuroplastic.jobs.config.ParserOutcome;
import org.neuroplastic.jobs.config.YamlDocuments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any sweep file either reads into a valid {@link SweepConfig} (every trial a valid train
 * configuration) or is rejected with a one-line InvalidInputException, never another exception and never
 * slowly. Documents are the shipped sweeps mutated line by line, and sweep sections (method, parameters,
 * ranges, counts, replicas, metric, early stop) generated over the tests' tiny base. Seeded by {@link FuzzSeed}.
 */
@AddLifecycleHook(FuzzSeed.class)
class SweepConfigFuzzTest {

    /** The shipped sweeps' folder copy, with the iris base's data path made absolute. */
    private static final Path CONF = copyShippedSweeps();

    private static final List<String> KEYS = List.of(
            "network.hidden.0.plasticity.hebbian.eta", "network.hidden.0.plasticity.structural.density",
            "network.hidden.0.size", "network.hidden.0.activation", "network.updater.learning_rate", "training.epochs",
            "training.workers", "data.rows", "network.seed");

    private static final List<String> ODD_KEYS = List.of(
            "network.hidden.1.size", "network.hidden", "network", "no.such.key", "network.hidden.99999999999.size",
            "", ".", "network..seed");

    private static final List<String> NUMBERS = List.of("0", "1", "-1", "2", "3", "4", "0.001", "0.01", "0.5", "1.0");

    private static final List<String> ODD_NUMBERS = List.of(
            "1e-300", "1e300", "-1e300", "1e400", ".nan", ".inf", "-.inf", "2147483647", "2147483648",
            "9223372036854775807", "-9223372036854775808", "9.3e18", "-9.3e18", "4.5", "x", "[]", "{}", "null");

    private static Path copyShippedSweeps() {
        try {
            Path conf = Files.createTempDirectory("sweep-fuzz");
            conf.toFile().deleteOnExit();
            for (String name : List.of("iris.yaml", "sweep-iris-random.yaml", "sweep-hebbian-density.yaml")) {
                Path file = conf.resolve(name);
                Files.writeString(file, YamlDocuments.shipped(name));
                file.toFile().deleteOnExit();
            }
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> mutatedShippedSweeps() {
        return YamlDocuments.mutationOfTexts(List.of(YamlDocuments.shipped("sweep-iris-random.yaml"),
                YamlDocuments.shipped("sweep-hebbian-density.yaml")));
    }

    @Provide
    Arbitrary<String> generatedSweeps() {
        Arbitrary<String> number = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(NUMBERS)), Tuple.of(1, Arbitraries.of(ODD_NUMBERS)));
        Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(KEYS)), Tuple.of(1, Arbitraries.of(ODD_KEYS)));
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(4, number.list().ofMaxSize(4).map(v -> "{values: [" + String.join(", ", v) + "]}")),
                Tuple.of(1, Arbitraries.of("{values: [relu, tanh]}", "{values: []}", "{values: 3}", "{values: [[1]]}",
                        "{values: [{a: 1}]}", "{}", "3", "[1, 2]")));
        Arbitrary<String> distribution = Combinators.combine(
                Arbitraries.of("uniform", "log_uniform", "int_uniform", "int_uniform", "int_uniform", "normal"), number, number)
                .as((kind, min, max) -> "{distribution: " + kind + ", min: " + min + ", max: " + max + "}");
        Arbitrary<String> parameter = Combinators.combine(key, Arbitraries.oneOf(values, distribution))
                .as((k, spec) -> "  " + k + ": " + spec);
        Arbitrary<String> optional = Arbitraries.of(
                "", "count: 3\n", "count: 0\n", "count: -5\n", "count: 1000000000000\n", "count: 100001\n",
                "replicas: 2\n", "replicas: 0\n", "replicas: 2147483648\n", "replicas: 100000\n", "seed: 9223372036854775808\n",
                "seed: -1\n", "metric: {name: test_accuracy}\n", "metric: {name: test_loss, goal: maximize}\n",
                "metric: {name: speed}\n", "mode: averaged\n", "mode: serial\n", "early_stop: {rungs: 1}\n",
                "early_stop: {rungs: 0}\n", "early_stop: {rungs: 2147483647, reduction_factor: 2147483647}\n",
                "early_stop: {rungs: 1, reduction_factor: 1, min_epochs: -1}\n", "early_stop: {rungs: 1, min_epochs: 2}\n",
                "early_stop: 3\n", "count: 3\ncount: 4\n");
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("grid", "random")),
                                Tuple.of(1, Arbitraries.of("bayes", "[grid]", "''"))),
                        parameter.list().ofMinSize(1).ofMaxSize(2).uniqueElements(p -> p.substring(0, p.indexOf(": "))),
                        Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(List.<String>of())), Tuple.of(1,
                                optional.list().ofMaxSize(3).uniqueElements(o -> o.isEmpty() ? "" : o.substring(0, o.indexOf(':'))))),
                        Arbitraries.integers().between(0, 9))
                .as((method, parameters, rest, dice) -> SweepFiles.BASE + "method: " + method + "\n"
                        + "parameters:\n" + String.join("\n", parameters) + "\n" + String.join("", rest)
                        + (method.equals("random") && dice < 8 && rest.stream().noneMatch(o -> o.startsWith("count"))
                        ? "count: 2\n" : ""));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE,
            afterFailure = AfterFailureMode.RANDOM_SEED)
    void mutatedShippedSweepsReadOrFailInOneLine(@ForAll("mutatedShippedSweeps") String text) {
        read(text);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE,
            afterFailure = AfterFailureMode.RANDOM_SEED)
    void generatedSweepsReadOrFailInOneLine(@ForAll("generatedSweeps") String text) {
        read(text);
    }

    private static void read(String text) {
        SweepConfig sweep = ParserOutcome.parseOrReject(() -> SweepConfig.read(ConfigDocument.parse(
                CONF.resolve("sweep.yaml").toString(), text, List.of())));
        Statistics.collect(sweep != null ? "read" : "rejected");
        if (sweep != null) {
            assertThat(sweep.trials()).hasSize(sweep.count() * sweep.replicas());
        }
    }
}
