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
import org.neuroplastic.jobs.config.TrainConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep file, validated, with every trial expanded and its train configuration validated: nothing
 * runs unless every trial is valid. {@code method: tpe} draws its settings as the sweep runs
 * ({@link TpeSettings}); its start-up trials are expanded here, and every key's extreme values (and
 * every listed value) are checked, so that a drawn setting fails no check the ranges could have failed.
 *
 * @param file          the sweep file, for messages
 * @param method        grid, random or tpe
 * @param parameters    the swept keys, in the file's order
 * @param count         random and tpe: settings drawn; grid: settings in the grid
 * @param replicas      trials per setting, each with its own network and data seeds
 * @param seed          the seed random draws derive from
 * @param metric        what trials are ranked by
 * @param mode          how trials run
 * @param earlyStop     successive halving, or null
 * @param parallelism   parallel mode: trials in flight at once, between 1 and the number of trials; null for
 *                      the cluster's task slots (see {@link TrialSlots}); always null in averaged mode
 * @param startupTrials tpe: the settings drawn at random before the estimator takes over; null otherwise
 * @param trials        every trial known before the sweep runs, in id order: all of them for grid and
 *                      random, the start-up settings' for tpe
 * @param trialFactory  builds a setting's trials from the base (tpe's later settings)
 * @param effectiveYaml the sweep as applied, defaults included and the base configuration inlined
 */
public record SweepConfig(String file, Method method, List<SweptParameter> parameters, int count, int replicas,
                          long seed, Metric metric, Mode mode, EarlyStop earlyStop, Integer parallelism,
                          Integer startupTrials, List<Trial> trials, TrialFactory trialFactory,
                          String effectiveYaml) {

    public enum Method { GRID, RANDOM, TPE }

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
    /** The section of {@code method: tpe}'s own keys. */
    static final String TPE = "tpe";

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
            if (method != Method.GRID) {
                count = root.integer("count");
                if (count < 1) {
                    throw root.error("count", "count must be >= 1, found " + count);
                }
            } else {
                if (root.has("count")) {
                    throw root.error("count", "count applies only to methods random and tpe (a grid runs every "
                            + "combination)");
                }
                long size = TrialExpansion.gridSize(parameters);
                count = (int) Math.min(size, Integer.MAX_VALUE);
            }
            int replicas = root.integer("replicas", 1);
            if (replicas < 1) {
                throw root.error("replicas", "replicas must be >= 1, found " + replicas);
            }
            if ((long) count * replicas > MAX_TRIALS) {
                throw root.error(method == Method.GRID ? "parameters" : "count", "the sweep has " + count + " settings x "
                        + replicas + " replicas, more than the " + MAX_TRIALS + " trials a sweep may have");
            }
            long seed = root.longInteger("seed", 0);
            Metric metric = readMetric(root.section("metric"), base);
            Mode mode = root.choice("mode", Mode.class, Mode.PARALLEL);
            EarlyStop earlyStop = null;
            if (root.has("early_stop")) {
                if (method == Method.TPE) {
                    // A halved trial's metric is from an earlier epoch than the others', and the estimator would
                    // rank the two together; asynchronous halving for tpe is its own item of issue 21.
                    throw root.error("early_stop", "early_stop does not apply to method tpe (successive halving "
                            + "would compare stopped and finished trials' metrics); use method random or grid");
                }
                ConfigSection section = root.section("early_stop");
                earlyStop = section.build(() -> new EarlyStop(section.integer("rungs"),
                        section.integer("reduction_factor", 2), section.integer("min_epochs", 1)));
            }
            Integer startupTrials = readTpe(root, method);
            TrialFactory factory = new TrialFactory(file, base.name(), base.text(), base.storage(), replicas, earlyStop);
            List<Map<String, String>> settings = switch (method) {
                case GRID -> TrialExpansion.grid(parameters);
                case RANDOM -> TrialExpansion.random(parameters, count, seed);
                case TPE -> TrialExpansion.random(parameters, Math.min(count, startupTrials), seed);
            };
            List<Trial> trials = new ArrayList<>(settings.size() * replicas);
            for (int s = 0; s < settings.size(); s++) {
                trials.addAll(factory.trials(s, settings.get(s)));
            }
            if (method == Method.TPE) {
                checkExtremes(factory, parameters, settings.get(0));
            }
            Integer parallelism = readParallelism(root, mode, method, count * replicas);
            return new SweepConfig(file, method, parameters, count, replicas, seed, metric, mode, earlyStop,
                    parallelism, startupTrials, trials, factory, null);
        });
        ObjectNode effective = tree(root.effectiveYaml());
        effective.set("base", baseTree);
        return new SweepConfig(sweep.file(), sweep.method(), sweep.parameters(), sweep.count(), sweep.replicas(),
                sweep.seed(), sweep.metric(), sweep.mode(), sweep.earlyStop(), sweep.parallelism(),
                sweep.startupTrials(), sweep.trials(), sweep.trialFactory(), yaml(effective));
    }

    /** Every trial's id, drawn or not, in id order. */
    List<String> trialIds() {
        List<String> ids = new ArrayList<>(count * replicas);
        for (int i = 0; i < (method == Method.GRID ? trials.size() : count * replicas); i++) {
            ids.add(Trial.id(i));
        }
        return ids;
    }

    /**
     * {@code tpe.startup_trials}: the settings drawn at random first, as {@code method: random} draws them
     * with the same seed (Optuna's {@code n_startup_trials}, Hyperopt's {@code n_startup_jobs}).
     */
    private static Integer readTpe(ConfigSection root, Method method) {
        if (method != Method.TPE) {
            if (root.has(TPE)) {
                throw root.error(TPE, "tpe applies only to method tpe, found method "
                        + method.name().toLowerCase(Locale.ROOT));
            }
            return null;
        }
        ConfigSection section = root.section(TPE);
        return section.build(() -> {
            int startup = section.integer("startup_trials", TreeParzenEstimator.DEFAULT_STARTUP_TRIALS);
            if (startup < 1) {
                throw section.error("startup_trials", "tpe.startup_trials must be >= 1, found " + startup);
            }
            return startup;
        });
    }

    /**
     * The estimator suggests only values a key's range or list holds, but not only values the start-up
     * trials drew: each key's bounds and listed values are checked here, the other keys as the first
     * start-up setting has them, so that a range that reaches an invalid value fails before anything runs.
     */
    private static void checkExtremes(TrialFactory factory, List<SweptParameter> parameters, Map<String, String> first) {
        for (SweptParameter parameter : parameters) {
            List<String> values = parameter.distribution() == null ? parameter.values()
                    : List.of(extreme(parameter.distribution(), parameter.distribution().min()),
                            extreme(parameter.distribution(), parameter.distribution().max()));
            for (String value : values) {
                Map<String, String> setting = new LinkedHashMap<>(first);
                setting.put(parameter.key(), value);
                factory.check(setting, "a setting method tpe may suggest");
            }
        }
    }

    /** A bound as the estimator writes a value of the key. */
    private static String extreme(Distribution distribution, double bound) {
        return distribution.kind() == Distribution.Kind.INT_UNIFORM ? Long.toString((long) bound)
                : Double.toString(bound);
    }

    /**
     * Whether {@code recorded} (a sweep folder's {@code config.yaml}) describes the same study as this
     * sweep: the same text once {@code parallelism} is left out of both, since how many trials run at once
     * changes no trial's result, and a resumed sweep may run on another cluster. With {@code method: tpe}
     * it does: trial i is drawn from the trials up to i - parallelism ({@link TpeSettings}), so it stays.
     */
    boolean sameStudyAs(String recorded) {
        ObjectNode mine = tree(effectiveYaml);
        ObjectNode theirs;
        try {
            theirs = (ObjectNode) YAML.readTree(recorded);
        } catch (JsonProcessingException | ClassCastException e) {
            return false;
        }
        if (method != Method.TPE) {
            mine.remove(PARALLELISM);
            theirs.remove(PARALLELISM);
        }
        return mine.equals(theirs);
    }

    /**
     * {@code parallelism}: an integer from 1 to the number of trials, or {@code slots} (the default). More
     * than the cluster's task slots is allowed: the slots are counted when trials are submitted and may
     * grow (executors still registering, dynamic allocation), and the extra trials only wait in Spark's
     * queue. With {@code method: tpe} it must be an integer: it decides which trials each suggestion sees
     * ({@link TpeSettings}), so the cluster's size must not.
     */
    private static Integer readParallelism(ConfigSection root, Mode mode, Method method, int trials) {
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
            if (method == Method.TPE) {
                throw root.error(PARALLELISM, "parallelism must be an integer with method tpe in mode parallel (trial i"
                        + " is drawn from trials 0 to i - parallelism, so it decides the trials), found "
                        + (root.has(PARALLELISM) ? SLOTS : "nothing (the default is " + SLOTS + ")"));
            }
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
