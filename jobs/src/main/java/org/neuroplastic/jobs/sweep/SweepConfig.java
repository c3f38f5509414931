package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.config.ConfigSection;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A sweep file, validated, with every trial expanded and its train configuration validated: nothing
 * runs unless every trial is valid.
 *
 * @param file          the sweep file, for messages
 * @param method        grid or random
 * @param parameters    the swept keys, in the file's order
 * @param count         random: settings drawn; grid: settings in the grid
 * @param replicas      trials per setting, each with its own network and data seeds
 * @param seed          the seed random draws derive from
 * @param metric        what trials are ranked by
 * @param mode          how trials run
 * @param earlyStop     successive halving, or null
 * @param parallelism   parallel mode: trials in flight at once, between 1 and the number of trials; null for
 *                      the cluster's task slots (see {@link TrialSlots}); always null in averaged mode
 * @param trials        every trial, in id order
 * @param effectiveYaml the sweep as applied, defaults included and the base configuration inlined
 */
public record SweepConfig(String file, Method method, List<SweptParameter> parameters, int count, int replicas,
                          long seed, Metric metric, Mode mode, EarlyStop earlyStop, Integer parallelism,
                          List<Trial> trials, String effectiveYaml) {

    public enum Method { GRID, RANDOM }

    /**
     * {@code parallel}: each trial trained in one Spark task with single-JVM DL4J, trials spread over the
     * executors; {@code averaged}: trials one after another, each with parameter averaging over all
     * executors, as the train job does.
     */
    public enum Mode { PARALLEL, AVERAGED }

    /**
     * More trials than this is a typo in a grid, not a study; every trial's configuration is read and
     * checked up front, which for 100,000 trials took longer than 5 s.
     */
    static final int MAX_TRIALS = 10_000;

    /** The key bounding parallel mode's trials in flight, and its keyword for the cluster's task slots. */
    static final String PARALLELISM = "parallelism";
    static final String SLOTS = "slots";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    public SweepConfig {
        parameters = List.copyOf(parameters);
        trials = List.copyOf(trials);
    }

    /** Reads a sweep file; {@code base:} as a path is relative to the sweep file's folder. */
    public static SweepConfig read(ConfigDocument document) {
        ConfigSection root = document.root();
        String file = root.file();
        Base base = readBase(root, file);
        ObjectNode baseTree = tree(base.config().effectiveYaml());
        SweepConfig sweep = root.build(() -> {
            Method method = root.choice("method", Method.class);
            List<SweptParameter> parameters = readParameters(root.section("parameters"), method, base, baseTree);
            int count;
            if (method == Method.RANDOM) {
                count = root.integer("count");
                if (count < 1) {
                    throw root.error("count", "count must be >= 1, found " + count);
                }
            } else {
                if (root.has("count")) {
                    throw root.error("count", "count applies only to method random (a grid runs every combination)");
                }
                long size = TrialExpansion.gridSize(parameters);
                count = (int) Math.min(size, Integer.MAX_VALUE);
            }
            int replicas = root.integer("replicas", 1);
            if (replicas < 1) {
                throw root.error("replicas", "replicas must be >= 1, found " + replicas);
            }
            if ((long) count * replicas > MAX_TRIALS) {
                throw root.error(method == Method.RANDOM ? "count" : "parameters", "the sweep has " + count + " settings x "
                        + replicas + " replicas, more than the " + MAX_TRIALS + " trials a sweep may have");
            }
            long seed = root.longInteger("seed", 0);
            Metric metric = readMetric(root.section("metric"), base);
            Mode mode = root.choice("mode", Mode.class, Mode.PARALLEL);
            EarlyStop earlyStop = null;
            if (root.has("early_stop")) {
                ConfigSection section = root.section("early_stop");
                earlyStop = section.build(() -> new EarlyStop(section.integer("rungs"),
                        section.integer("reduction_factor", 2), section.integer("min_epochs", 1)));
            }
            List<Map<String, String>> settings = method == Method.GRID ? TrialExpansion.grid(parameters)
                    : TrialExpansion.random(parameters, count, seed);
            List<Trial> trials = expand(file, base, settings, replicas, earlyStop);
            Integer parallelism = readParallelism(root, mode, trials.size());
            return new SweepConfig(file, method, parameters, count, replicas, seed, metric, mode, earlyStop,
                    parallelism, trials, null);
        });
        ObjectNode effective = tree(root.effectiveYaml());
        effective.set("base", baseTree);
        return new SweepConfig(sweep.file(), sweep.method(), sweep.parameters(), sweep.count(), sweep.replicas(),
                sweep.seed(), sweep.metric(), sweep.mode(), sweep.earlyStop(), sweep.parallelism(), sweep.trials(),
                yaml(effective));
    }

    /**
     * Whether {@code recorded} (a sweep folder's {@code config.yaml}) describes the same study as this
     * sweep: the same text once {@code parallelism} is left out of both, since how many trials run at once
     * changes no trial's result, and a resumed sweep may run on another cluster.
     */
    boolean sameStudyAs(String recorded) {
        ObjectNode mine = tree(effectiveYaml);
        ObjectNode theirs;
        try {
            theirs = (ObjectNode) YAML.readTree(recorded);
        } catch (JsonProcessingException | ClassCastException e) {
            return false;
        }
        mine.remove(PARALLELISM);
        theirs.remove(PARALLELISM);
        return mine.equals(theirs);
    }

    /**
     * {@code parallelism}: an integer from 1 to the number of trials, or {@code slots} (the default). More
     * than the cluster's task slots is allowed: the slots are counted when trials are submitted and may
     * grow (executors still registering, dynamic allocation), and the extra trials only wait in Spark's
     * queue.
     */
    private static Integer readParallelism(ConfigSection root, Mode mode, int trials) {
        if (mode != Mode.PARALLEL) {
            if (root.has(PARALLELISM)) {
                throw root.error(PARALLELISM, "parallelism applies only to mode parallel (averaged trials run one "
                        + "after another, each on all executors)");
            }
            return null;
        }
        boolean written = root.has(PARALLELISM) && root.raw(PARALLELISM) != null
                && root.raw(PARALLELISM).isIntegralNumber();
        int value = root.integerOr(PARALLELISM, SLOTS, 0);
        if (!written) {
            return null;
        }
        if (value < 1 || value > trials) {
            throw root.error(PARALLELISM, "parallelism must be between 1 and the sweep's " + trials + " trials (or "
                    + SLOTS + ", the cluster's task slots), found " + value);
        }
        return value;
    }

    /** The base train configuration: its name for messages, its text, and the text read as is. */
    private record Base(String name, String text, TrainConfig config, Storage storage) {
    }

    private static Base readBase(ConfigSection root, String file) {
        JsonNode base = root.raw("base");
        if (base == null || base.isNull()) {
            throw root.error("base", "base is required: a train configuration file (relative to the sweep file) "
                    + "or an inline mapping");
        }
        String name;
        String text;
        if (base.isTextual()) {
            Location sweepFile = root.locate("base", file);
            Location path;
            try {
                path = root.storage().locate(sweepFile.parent(), base.textValue());
            } catch (IllegalArgumentException e) {
                throw root.error("base", "base must be a file path or URI, found text '" + base.textValue() + "' ("
                        + e.getMessage() + ")");
            }
            name = path.toString();
            try {
                if (!root.storage().isFile(path)) {
                    throw root.error("base", "base names " + path + ", which does not exist");
                }
                text = root.storage().readText(path);
            } catch (IOException e) {
                throw root.error("base", "base names " + path + ", which cannot be read: " + e.getMessage());
            }
        } else if (base.isObject()) {
            name = file + " (base)";
            text = base.toString();
        } else {
            throw root.error("base", "base must be a file name or a mapping, found " + ConfigSection.kind(base));
        }
        TrainConfig config = TrainConfig.read(ConfigDocument.parse(root.storage(), name, text, List.of()));
        if (config.data() instanceof DataSource.Streamed) {
            throw root.error("base", name + ": data.stream (continual learning) is trained by the train job only; "
                    + "sweeps do not support it");
        }
        return new Base(name, text, config, root.storage());
    }

    private static List<SweptParameter> readParameters(ConfigSection section, Method method, Base base,
                                                       ObjectNode baseTree) {
        List<String> keys = section.keys();
        if (keys.isEmpty()) {
            throw section.error("", "parameters must map at least one configuration key to values or a "
                    + "distribution, found none");
        }
        List<SweptParameter> parameters = new ArrayList<>(keys.size());
        for (String key : keys) {
            JsonNode current = valueAt(baseTree, key);
            if (current == null || current.isContainerNode()) {
                throw section.error(key, "parameters." + key + " names no value of the base configuration "
                        + base.name() + " (keys are dotted paths such as network.hidden.0.plasticity.hebbian.eta)");
            }
            ConfigSection p = section.section(key);
            parameters.add(p.build(() -> readParameter(p, key, method, current)));
        }
        return parameters;
    }

    private static SweptParameter readParameter(ConfigSection p, String key, Method method, JsonNode current) {
        if (p.has("values") || method == Method.GRID) {
            JsonNode values = p.raw("values");
            if (values == null || values.isNull()) {
                throw p.error("values", "parameters." + key + ".values is required for method grid");
            }
            if (!values.isArray() || values.isEmpty()) {
                throw p.error("values", "parameters." + key + ".values must be a non-empty list, found "
                        + (values.isArray() ? "an empty list" : ConfigSection.kind(values)));
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode value : values) {
                if (value.isContainerNode() || value.isNull()) {
                    throw p.error("values", "parameters." + key + ".values must list plain values, found "
                            + ConfigSection.kind(value));
                }
                texts.add(value.toString());
            }
            return new SweptParameter(key, texts, null);
        }
        Distribution.Kind kind = p.choice("distribution", Distribution.Kind.class);
        if (!current.isNumber()) {
            throw p.error("distribution", "parameters." + key + ".distribution needs a numeric key, but " + key
                    + " is " + ConfigSection.kind(current) + " in the base configuration");
        }
        if (current.isIntegralNumber() && kind != Distribution.Kind.INT_UNIFORM) {
            throw p.error("distribution", "parameters." + key + ".distribution must be int_uniform for the integer key "
                    + key + ", found " + kind.name().toLowerCase(Locale.ROOT));
        }
        double min = p.number("min");
        double max = p.number("max");
        try {
            return new SweptParameter(key, List.of(), new Distribution(kind, min, max));
        } catch (IllegalArgumentException e) {
            throw p.error("min", "parameters." + key + ": " + e.getMessage());
        }
    }

    private static Metric readMetric(ConfigSection section, Base base) {
        return section.build(() -> {
            Metric.Name name = section.choice("name", Metric.Name.class, Metric.Name.TEST_LOSS);
            if (name == Metric.Name.TEST_ACCURACY && !base.config().data().target().isClassification()) {
                throw section.error("name", "metric.name test_accuracy needs a classification data set, but the "
                        + "base configuration's is regression");
            }
            Metric.Goal goal = section.choice("goal", Metric.Goal.class,
                    name == Metric.Name.TEST_LOSS ? Metric.Goal.MINIMIZE : Metric.Goal.MAXIMIZE);
            return new Metric(name, goal);
        });
    }

    private static List<Trial> expand(String file, Base base, List<Map<String, String>> settings, int replicas,
                                      EarlyStop earlyStop) {
        List<Trial> trials = new ArrayList<>(settings.size() * replicas);
        for (int s = 0; s < settings.size(); s++) {
            Map<String, String> setting = settings.get(s);
            List<String> sets = setting.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            TrainConfig first = null;
            for (int r = 0; r < replicas; r++) {
                String trialId = Trial.id(s * replicas + r);
                try {
                    if (first == null) {
                        first = TrainConfig.read(ConfigDocument.parse(base.storage(), base.name(), base.text(), sets));
                    }
                    trials.add(trial(trialId, s, r, setting, base, sets, first, earlyStop));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(file + ": trial " + trialId + " ("
                            + setting.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                                    .collect(Collectors.joining(", "))
                            + ", replica " + r + ") is invalid: " + e.getMessage());
                }
            }
        }
        return trials;
    }

    /** Replica {@code replica} of a setting whose replica 0 is {@code first}: the seeds move by the replica. */
    private static Trial trial(String trialId, int setting, int replica, Map<String, String> parameters, Base base,
                               List<String> sets, TrainConfig first, EarlyStop earlyStop) {
        TrainConfig config = first;
        long seed = first.network().seed() + replica;
        DataSeed data = DataSeed.of(first.data());
        Long dataSeed = data == null ? null : data.value() + replica;
        if (replica > 0) {
            List<String> seeded = new ArrayList<>(sets);
            seeded.add("network.seed=" + seed);
            if (data != null) {
                seeded.add(data.key() + "=" + dataSeed);
            }
            config = TrainConfig.read(ConfigDocument.parse(base.storage(), base.name(), base.text(), seeded));
        }
        if (earlyStop != null) {
            List<Integer> rungs = earlyStop.rungEpochs();
            int last = rungs.get(rungs.size() - 1);
            if (last >= config.training().epochs()) {
                throw new InvalidInputException("early_stop's last rung is after epoch " + last
                        + ", so training.epochs must be > " + last + ", found " + config.training().epochs());
            }
        }
        return new Trial(trialId, setting, replica, parameters, seed, dataSeed, config);
    }

    /** Which key seeds the data of a source, and its value. */
    private record DataSeed(String key, long value) {
        static DataSeed of(DataSource source) {
            if (source instanceof DataSource.Synthetic synthetic) {
                return new DataSeed("data.seed", synthetic.generator().seed());
            }
            DataSource.HoldOut holdOut = source instanceof DataSource.Csv csv ? csv.holdOut()
                    : source instanceof DataSource.LibSvm libSvm ? libSvm.holdOut()
                    : source instanceof DataSource.Idx idx ? idx.holdOut()
                    : ((DataSource.Parquet) source).holdOut();
            return holdOut == null ? null : new DataSeed("data.split_seed", holdOut.seed());
        }
    }

    /** The node at a dotted key (list entries by index), or null. */
    static JsonNode valueAt(JsonNode tree, String key) {
        JsonNode node = tree;
        for (String part : key.split("\\.", -1)) {
            if (node == null) {
                return null;
            }
            if (node.isArray()) {
                if (part.isEmpty() || !part.chars().allMatch(Character::isDigit) || part.length() > 8) {
                    return null;
                }
                node = node.get(Integer.parseInt(part));
            } else {
                node = node.get(part);
            }
        }
        return node;
    }

    private static ObjectNode tree(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("effective configuration is not YAML", e);
        }
    }

    private static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the effective sweep configuration", e);
        }
    }
}
