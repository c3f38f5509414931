package org.neuroplastic.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.sweep.SweepConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docs/CONFIG.md documents exactly the keys the parsers accept. The accepted keys come from the parsers
 * themselves: every mapping of a document is given a key no reader knows, and the parser's refusal ("unknown
 * key ... (known keys here: ...)") lists the keys that mapping accepts. The documents below only choose which
 * branches are taken (each data format, each stream kind, each sweep method); a key a new branch accepts is
 * found once a document here takes that branch, and a key documented but accepted by no document here fails
 * the test until one does.
 *
 * <p>In CONFIG.md, a key is a table row whose first cell is one backticked name, e.g. {@code | `training.epochs` |};
 * rows under a {@code ## } heading that names the sweep are sweep-file keys, all others train keys. A list
 * entry is written {@code [i]} ({@code network.hidden[i].size}), a swept key {@code <key>}
 * ({@code parameters.<key>.values}).
 */
class ConfigReferenceTest {

    private static final Path CONFIG_MD = YamlDocuments.ROOT.resolve("docs/CONFIG.md");
    private static final String PROBE = "zz_reference_probe";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KNOWN = Pattern.compile("unknown key \\S*" + PROBE + " \\((?:known keys here: (.*)|this section takes no keys)\\)$");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`\\s]+)`\\s*\\|");

    @TempDir
    static Path dir;

    private static String csv;
    private static String libsvm;
    private static String idx;
    private static String parquet;

    @BeforeAll
    static void dataFiles() throws IOException {
        csv = Files.writeString(dir.resolve("d.csv"), "a,label\n1,0\n").toString();
        libsvm = Files.writeString(dir.resolve("d.libsvm"), "0 1:1\n").toString();
        idx = Files.write(dir.resolve("d.idx"), new byte[0]).toString();
        parquet = Files.createDirectories(dir.resolve("d.parquet")).toString();
    }

    private static final String NETWORK_AND_TRAINING = """
            network:
              hidden:
                - size: 4
                  plasticity:
                    hebbian: {enabled: true}
            training: {epochs: 9}
            """;

    /** One train document per branch of the readers: formats, generators, stream kinds, test files or not. */
    private static List<String> trainDocuments() {
        return List.of(
                "data: {format: synthetic, generator: regression}\n",
                "data: {format: synthetic, generator: classification, classes: 4, stream: {kind: split}}\n"
                        + "training: {consolidation: {method: ewc}}\n",
                "data: {format: synthetic, generator: classification, classes: 4, stream: {kind: split}}\n"
                        + "training: {consolidation: {method: si}}\n",
                "data: {format: synthetic, generator: regression, stream: {kind: permuted, tasks: 2}}\n",
                "data: {format: synthetic, generator: classification, classes: 4, stream: {kind: split, joint: true}}\n",
                "data: {format: synthetic, generator: classification, classes: 4, validation_fraction: 0.2,"
                        + " stream: {kind: split}}\n",
                "data: {format: synthetic, generator: classification, classes: 4, stream: {kind: permuted, tasks: 2}}\n"
                        + "training: {replay: {buffer_size: 10, per_minibatch: 2}, evaluation_batch_size: 64,"
                        + " workers_per_task: 2}\n",
                "data: {format: synthetic, generator: classification, classes: 4, stream: {kind: permuted, online: true,"
                        + " tasks: 2, examples_per_task: 8}}\ntraining: {epochs: 1}\n",
                "data: {format: csv, path: %s, task: classification, classes: 2}\n".formatted(csv),
                "data: {format: csv, path: %s, test_path: %s, task: regression}\n".formatted(csv, csv),
                "data: {format: csv, path: %s, test_path: %s, task: regression, validation_fraction: 0.2}\n"
                        .formatted(csv, csv),
                "data: {format: libsvm, path: %s, task: regression}\n".formatted(libsvm),
                "data: {format: idx, images: %s, labels: %s}\n".formatted(idx, idx),
                "data: {format: idx, images: %s, labels: %s, test_images: %s, test_labels: %s}\n"
                        .formatted(idx, idx, idx, idx),
                "data: {format: parquet, path: %s, task: regression}\n".formatted(parquet))
                .stream().map(data -> data.contains("training:") ? data + NETWORK_AND_TRAINING.replace(
                        "training: {epochs: 9}\n", "") : data + NETWORK_AND_TRAINING).toList();
    }

    /** One sweep document per branch: grid with values, random with a distribution and successive halving, tpe. */
    private static List<String> sweepDocuments() {
        String base = "base: {data: {format: synthetic, generator: regression}, network: {hidden: [{size: 4}]},"
                + " training: {epochs: 9}}\n";
        return List.of(
                base + "method: grid\nparameters: {network.seed: {values: [1, 2]}}\n",
                base + "method: random\ncount: 2\nparameters: {network.updater.learning_rate: "
                        + "{distribution: log_uniform, min: 0.001, max: 0.1}}\n"
                        + "early_stop: {rungs: 2}\nmetric: {name: test_loss}\n",
                base + "method: tpe\ncount: 2\nparallelism: 1\ntpe: {startup_trials: 1}\nparameters: "
                        + "{network.updater.learning_rate: {distribution: log_uniform, min: 0.001, max: 0.1}}\n",
                base + "method: grid\nparameters: {network.seed: {values: [1, 2]}}\n"
                        + "metric: [{name: test_loss, goal: minimize}]\n");
    }

    @Test
    void everyTrainKeyTheParserAcceptsIsDocumentedAndNoOther() throws IOException {
        Set<String> accepted = accepted(trainDocuments(), text -> TrainConfig.read(parse(text)).effectiveYaml());
        assertSameKeys("train configuration", accepted, documented(false));
    }

    @Test
    void everySweepKeyTheParserAcceptsIsDocumentedAndNoOther() throws IOException {
        Set<String> accepted = accepted(sweepDocuments(), text -> SweepConfig.read(parse(text)).effectiveYaml());
        assertSameKeys("sweep file", accepted, documented(true));
    }

    @Test
    void theProbeSeesKeysOfEveryBranch() {
        // The probe itself: keys that only some branches read are found.
        Set<String> train = accepted(trainDocuments(), text -> TrainConfig.read(parse(text)).effectiveYaml());
        assertThat(train).contains("data.test_limit", "data.validation_fraction", "data.stream.classes_per_task", "data.stream.tasks",
                "data.stream.online", "data.stream.examples_per_task", "data.stream.joint",
                "training.replay.buffer_size", "training.replay.per_minibatch", "training.evaluation_batch_size",
                "training.workers_per_task", "data.signal_variance", "data.class_separation", "network.hidden[i].plasticity.hebbian.eta",
                "training.consolidation.lambda", "training.consolidation.c", "training.consolidation.xi",
                "training.augmentation.max_shift");
        Set<String> sweep = accepted(sweepDocuments(), text -> SweepConfig.read(parse(text)).effectiveYaml());
        assertThat(sweep).contains("base", "count", "early_stop.rungs", "parameters.<key>.values",
                "parameters.<key>.distribution", "tpe.startup_trials");
    }

    @Test
    void atInferenceResetPerTaskIsAcceptedAndItsRowSaysWhatItDoes() throws IOException {
        String online = "data: {format: synthetic, generator: classification, classes: 4, stream: {kind: permuted,"
                + " online: true, tasks: 2, examples_per_task: 8}}\ntraining: {epochs: 1}\n" + NETWORK_AND_TRAINING
                .replace("training: {epochs: 9}\n", "")
                .replace("hebbian: {enabled: true}", "hebbian: {enabled: true}\n        at_inference: {enabled: true, reset: per_task}");
        assertThat(TrainConfig.read(parse(online)).effectiveYaml()).contains("reset: per_task");
        String row = Files.readAllLines(CONFIG_MD).stream()
                .filter(line -> line.startsWith("| `network.hidden[i].plasticity.at_inference.reset` |"))
                .findFirst().orElseThrow();
        assertThat(row).contains("`per_task`", "inference state", "dropped when the task changes")
                .doesNotContain("refused");
    }

    private static void assertSameKeys(String what, Set<String> accepted, Set<String> documented) {
        Set<String> missing = new TreeSet<>(accepted);
        missing.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(accepted);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(missing).as("%s keys the parser accepts but docs/CONFIG.md does not document", what)
                    .isEmpty();
            softly.assertThat(unknown).as("%s keys docs/CONFIG.md documents but the parser does not accept", what)
                    .isEmpty();
        });
    }

    private static ConfigDocument parse(String text) {
        return ConfigDocument.parse("reference.yaml", text, List.of());
    }

    /** The keys of CONFIG.md's tables: sweep-file keys or train keys. */
    private static Set<String> documented(boolean sweep) throws IOException {
        Set<String> keys = new TreeSet<>();
        boolean inSweep = false;
        boolean inCode = false;
        for (String line : Files.readAllLines(CONFIG_MD)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("## ")) {
                inSweep = line.toLowerCase(Locale.ROOT).contains("sweep");
            } else if (!inCode && inSweep == sweep) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    /**
     * The keys the parser accepts over {@code documents}, as CONFIG.md writes them. {@code parser} reads a
     * document and returns its effective configuration, which names every mapping the readers opened (defaults
     * included); each such mapping is probed in turn.
     */
    private static Set<String> accepted(List<String> documents, Function<String, String> parser) {
        Set<String> keys = new TreeSet<>();
        for (String document : documents) {
            JsonNode effective = tree(parser.apply(document));
            List<List<Object>> mappings = new ArrayList<>();
            mappings(effective, new ArrayList<>(), mappings);
            for (List<Object> mapping : mappings) {
                JsonNode section = at(effective, mapping);
                for (String key : knownKeys(document, mapping, parser)) {
                    List<Object> child = new ArrayList<>(mapping);
                    child.add(key);
                    if (!isProbed(child, section.get(key))) {
                        keys.add(name(child));
                    }
                }
            }
        }
        return keys;
    }

    /** Mappings whose keys are configuration keys: all but a sweep's inlined base and its {@code parameters}. */
    private static void mappings(JsonNode node, List<Object> path, List<List<Object>> out) {
        if (node.isObject()) {
            if (!skipped(path)) {
                out.add(List.copyOf(path));
            }
            if (path.equals(List.of("base"))) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                path.add(e.getKey());
                mappings(e.getValue(), path, out);
                path.remove(path.size() - 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                mappings(node.get(i), path, out);
                path.remove(path.size() - 1);
            }
        }
    }

    private static boolean skipped(List<Object> path) {
        return path.equals(List.of("base")) || path.equals(List.of("parameters"));
    }

    /** Whether a key's value is a mapping (or list of mappings) probed on its own rather than documented as one key. */
    private static boolean isProbed(List<Object> path, JsonNode value) {
        if (value == null || skipped(path) && !path.equals(List.of("parameters"))) {
            return false;
        }
        return value.isObject() || value.isArray() && !value.isEmpty() && value.get(0).isObject();
    }

    /** The keys the parser knows in the mapping at {@code path}, from its refusal of one it does not know. */
    private static List<String> knownKeys(String document, List<Object> path, Function<String, String> parser) {
        ObjectNode root = (ObjectNode) tree(document);
        JsonNode node = root;
        for (Object part : path) {
            if (part instanceof Integer index) {
                node = node.get(index);
            } else {
                JsonNode child = node.get((String) part);
                node = child != null && !child.isNull() ? child : ((ObjectNode) node).putObject((String) part);
            }
        }
        ((ObjectNode) node).put(PROBE, 1);
        String probed;
        try {
            probed = JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            parser.apply(probed);
        } catch (InvalidInputException e) {
            Matcher m = KNOWN.matcher(e.getMessage());
            if (m.find()) {
                return m.group(1) == null ? List.of() : List.of(m.group(1).split(", "));
            }
            fail("probing %s of %s: expected an unknown-key refusal, found: %s", name(path), document, e.getMessage());
        }
        return fail("the mapping %s of %s accepts any key: an unknown key %s passed", name(path), document, PROBE);
    }

    private static JsonNode at(JsonNode tree, List<Object> path) {
        JsonNode node = tree;
        for (Object part : path) {
            node = part instanceof Integer index ? node.get(index) : node.get((String) part);
        }
        return node;
    }

    /** A key as CONFIG.md writes it: {@code network.hidden[i].size}, {@code parameters.<key>.values}. */
    private static String name(List<Object> path) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            Object part = path.get(i);
            if (part instanceof Integer) {
                name.append("[i]");
            } else {
                boolean swept = i == 1 && "parameters".equals(path.get(0));
                name.append(name.length() == 0 ? "" : ".").append(swept ? "<key>" : part);
            }
        }
        return name.toString();
    }

    private static JsonNode tree(String yaml) {
        try {
            return ConfigDocument.YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
