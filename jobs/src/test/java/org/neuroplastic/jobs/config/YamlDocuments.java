package org.neuroplastic.jobs.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Generated configuration documents for the parser properties: arbitrary YAML-ish trees written out by
 * hand (so they may hold duplicated keys, odd scalars and deep nesting), and line-level mutations of the
 * shipped configurations under conf/, which reach far deeper into validation than random trees do.
 */
public final class YamlDocuments {

    /** The project root, as tests run in jobs/. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Every key the configuration readers know, so that generated trees often hit a real reader. */
    private static final List<String> KEYS = List.of(
            "data", "network", "training", "format", "path", "test_path", "task", "classes", "label_column",
            "test_fraction", "split_seed", "features", "images", "labels", "generator", "rows", "partitions", "seed",
            "noise_std", "signal_variance", "class_separation", "n_in", "hidden", "size", "activation", "plasticity",
            "hebbian", "enabled", "rule", "eta", "alpha", "alpha_init", "scaling", "target_activity", "rate", "min",
            "max", "structural", "density", "zeta", "rewire_every", "regrowth", "adaptation", "threshold_rate",
            "gain_init", "activity_rate", "at_inference", "reset", "output", "loss", "updater", "name", "learning_rate", "variant", "workers",
            "batch_size_per_worker", "averaging_frequency", "epochs", "save_updater", "averaging", "trajectories",
            "base", "method", "count", "replicas", "parameters", "values", "distribution", "metric", "goal", "mode",
            "early_stop", "rungs", "reduction_factor", "min_epochs", "standardize");

    /** Scalars as written in YAML: real choices, extreme and malformed numbers, YAML's special forms, unicode. */
    private static final List<String> SCALARS = List.of(
            "0", "1", "-1", "2", "3", "10", "0.5", "1.5", "-0.0", "1e-300", "1e300", "1e400", "-1e400", "2147483647",
            "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "1000000000000",
            "-1000000000000", "0x1F", "0o17", "1_000", "007", ".nan", ".inf", "-.inf", "NaN", "Infinity", "true",
            "false", "yes", "no", "on", "null", "~", "''", "\"\"", "auto", "synthetic", "csv", "libsvm", "idx",
            "parquet", "regression", "classification", "relu", "tanh", "identity", "softmax", "mse", "cross_entropy",
            "adam", "sgd", "oja", "plain", "bcm", "free", "hebbian", "random", "resident", "stock", "plastic", "dense",
            "grid", "uniform", "log_uniform", "int_uniform", "test_loss", "test_accuracy", "minimize", "maximize",
            "parallel", "averaged", "\"\\u0000\"", "\"\\t\\n\"", "\"é ü 中文 🙂\"", "\"\\uFEFF\"", "'../../etc/passwd'",
            "/dev/zero", "\"a/b\"", "\"..\"", "!!binary aGVsbG8=", "!!float 1", "!!int 3", "&anchor 3", "*anchor",
            "<<", "'multi\n  line'", "[]", "{}");

    private YamlDocuments() {
    }

    /** A scalar token, a real one most of the time. */
    public static Arbitrary<String> scalar() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(SCALARS)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12).map(YamlDocuments::quoted)),
                Tuple.of(1, Arbitraries.doubles().map(Object::toString)),
                Tuple.of(1, Arbitraries.longs().map(Object::toString)));
    }

    /** A key: a known one most of the time, else anything, possibly a dotted path. */
    public static Arbitrary<String> key() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(KEYS)),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(10).map(YamlDocuments::quoted)),
                Tuple.of(1, Arbitraries.of(KEYS).list().ofMinSize(2).ofMaxSize(6)
                        .map(parts -> String.join(".", parts))));
    }

    /** A value: a scalar, or a flow mapping or list nested up to {@code depth} levels (deeper sometimes). */
    public static Arbitrary<String> value(int depth) {
        if (depth <= 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(12, scalar()),
                Tuple.of(3, Arbitraries.lazy(() -> mapping(depth - 1))),
                Tuple.of(3, Arbitraries.lazy(() -> value(depth - 1).list().ofMaxSize(4)
                        .map(items -> "[" + String.join(", ", items) + "]"))),
                Tuple.of(1, Arbitraries.integers().between(20, 400).map(YamlDocuments::deepNesting)));
    }

    /** A flow mapping; keys may repeat, as they may in a hand-written file. */
    public static Arbitrary<String> mapping(int depth) {
        Arbitrary<String> entry = Combinators.combine(key(), value(depth)).as((k, v) -> k + ": " + v);
        return entry.list().ofMaxSize(5).map(entries -> "{" + String.join(", ", entries) + "}");
    }

    /** A whole document as an arbitrary tree, in block style at the top so that sections look like files. */
    public static Arbitrary<String> tree() {
        Arbitrary<String> entry = Combinators.combine(key(), value(3)).as((k, v) -> k + ": " + v);
        return Arbitraries.oneOf(
                entry.list().ofMaxSize(8).map(entries -> String.join("\n", entries) + "\n"),
                value(3),
                Arbitraries.strings().all().ofMaxLength(40));
    }

    /** One of the shipped files {@code names} (data paths made absolute) with up to five line mutations. */
    public static Arbitrary<String> mutationOf(String... names) {
        return mutationOfTexts(Arrays.stream(names).map(YamlDocuments::shipped).toList());
    }

    /** One of {@code texts} with up to five line mutations. */
    public static Arbitrary<String> mutationOfTexts(List<String> texts) {
        Arbitrary<List<String>> lines = Arbitraries.of(texts).map(text -> List.of(text.split("\n", -1)));
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMaxSize(5);
        return Combinators.combine(lines, mutations).as((original, steps) -> {
            List<String> result = new ArrayList<>(original);
            for (Mutation step : steps) {
                step.apply(result);
            }
            return String.join("\n", result);
        });
    }

    /** {@code --set} arguments: mostly {@code key.path=value}, sometimes malformed. */
    public static Arbitrary<List<String>> sets() {
        Arbitrary<String> path = Arbitraries.oneOf(
                Arbitraries.of(KEYS).list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join(".", parts)),
                Arbitraries.of("training.epochs", "training.workers", "network.hidden.0.size", "network.hidden[1].size",
                        "network.hidden.7.size", "network.hidden.99999999.size", "data.rows", "network.n_in",
                        "training.averaging", "data.format", "network.hidden.0.plasticity.hebbian.eta", "", ".", "a..b",
                        "network.hidden.-1.size"));
        Arbitrary<String> set = Arbitraries.oneOf(
                Combinators.combine(path, value(2)).as((k, v) -> k + "=" + v),
                Arbitraries.strings().all().ofMaxLength(20));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of())), Tuple.of(1, set.list().ofMaxSize(3)));
    }

    /** The text of conf/{@code name} with data paths absolute, as bin/neuroplastic reads it from the project root. */
    public static String shipped(String name) {
        try {
            return Files.readString(ROOT.resolve("conf").resolve(name))
                    .replace("path: data/", "path: " + ROOT.resolve("data") + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One edit of a document's lines. */
    private interface Mutation {
        void apply(List<String> lines);
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 1000);
        return Arbitraries.oneOf(
                at.map(i -> lines -> {
                    if (!lines.isEmpty()) {
                        lines.remove(i % lines.size());
                    }
                }),
                at.map(i -> lines -> {
                    if (!lines.isEmpty()) {
                        int index = i % lines.size();
                        lines.add(index, lines.get(index));
                    }
                }),
                Combinators.combine(at, value(2)).as((i, v) -> lines -> replaceValue(lines, i, v)),
                Combinators.combine(at, scalar()).as((i, v) -> lines -> replaceValue(lines, i, v)),
                Combinators.combine(at, Arbitraries.strings().all().ofMaxLength(8)).as((i, s) -> lines -> {
                    if (!lines.isEmpty()) {
                        int index = i % lines.size();
                        String line = lines.get(index);
                        int cut = line.isEmpty() ? 0 : i % line.length();
                        lines.set(index, line.substring(0, cut) + s + line.substring(cut));
                    }
                }),
                at.map(i -> lines -> {
                    if (!lines.isEmpty()) {
                        int index = i % lines.size();
                        lines.set(index, " ".repeat(i % 5) + lines.get(index).stripLeading());
                    }
                }),
                at.map(i -> lines -> {
                    int keep = lines.isEmpty() ? 0 : i % lines.size();
                    lines.subList(keep, lines.size()).clear();
                }),
                Arbitraries.integers().between(20, 300).map(n -> lines -> lines.add("deep: " + deepNesting(n))));
    }

    /** Replaces the value after a line's first {@code ": "} (keys keep their place and indentation). */
    private static void replaceValue(List<String> lines, int at, String value) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(": ")) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        int index = candidates.get(at % candidates.size());
        String line = lines.get(index);
        lines.set(index, line.substring(0, line.indexOf(": ") + 2) + value.replace("\n", " "));
    }

    private static String deepNesting(int levels) {
        return "[".repeat(levels) + "1" + "]".repeat(levels);
    }

    private static String quoted(String text) {
        Map<Character, String> escapes = Map.of('\\', "\\\\", '"', "\\\"", '\n', "\\n", '\r', "\\r", '\t', "\\t");
        return text.chars().mapToObj(c -> {
            String escape = escapes.get((char) c);
            if (escape != null) {
                return escape;
            }
            return c < 0x20 || (c >= 0xD800 && c <= 0xDFFF) ? String.format("\\u%04x", c) : String.valueOf((char) c);
        }).collect(Collectors.joining("", "\"", "\""));
    }
}
