package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.config.ConfigSection;
import org.neuroplastic.model.network.ConfigName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param metrics       what trials are measured by, the first ranking them (early stopping, TPE); more than
 *                      one for a multi-objective sweep
 * @param mode          how trials run
 * @param earlyStop     successive halving, or null
 * @param parallelism   parallel mode: trials in flight at once, between 1 and the number of trials; null for
 *                      the cluster's task slots (see {@link TrialSlots}); always null in averaged mode
 * @param trialTimeout  parallel mode: seconds a trial may train before it is stopped as timed out; null for no limit
 * @param startupTrials tpe: the settings drawn at random before the estimator takes over; null otherwise
 * @param trials        every trial known before the sweep runs, in id order: all of them for grid and
 *                      random, the start-up settings' for tpe
 * @param trialFactory  builds a setting's trials from the base (tpe's later settings)
 * @param effectiveYaml the sweep as applied, defaults included and the base configuration inlined
 */
public record SweepConfig(String file, Method method, List<SweptParameter> parameters, int count, int replicas,
                          long seed, List<Metric> metrics, Mode mode, EarlyStop earlyStop, Integer parallelism,
                          Double trialTimeout, Integer startupTrials, List<Trial> trials, TrialFactory trialFactory,
                          String effectiveYaml) {

    /** The first metric: the one early stopping, TPE and the sweep's summary rank by. */
    public Metric metric() {
        return metrics.get(0);
    }

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
    /** The key bounding a parallel trial's wall time, in seconds. */
    static final String TRIAL_TIMEOUT = "trial_timeout";
    /** The section of {@code method: tpe}'s own keys. */
    static final String TPE = "tpe";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    public SweepConfig {
        parameters = List.copyOf(parameters);
        trials = List.copyOf(trials);
        metrics = List.copyOf(metrics);
    }

    /** Reads a sweep file; {@code base:} as a path is relative to the sweep file's folder. */
    public static SweepConfig read(ConfigDocument document) {
        ConfigSection root = document.root();
        String file = root.file();
        SweepBase base = SweepBase.read(root, file);
        ObjectNode baseTree = tree(base.config().effectiveYaml());
        SweepConfig sweep = root.build(() -> {
            Method method = root.choice("method", Method.class);
            List<SweptParameter> parameters = SweptParameter.read(root.section("parameters"), method, base.name(), baseTree);
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
            List<Metric> metrics = Metric.readAll(root, base.config());
            Mode mode = root.choice("mode", Mode.class, Mode.PARALLEL);
            EarlyStop earlyStop = EarlyStop.read(root, method, mode);
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
            Integer parallelism = ParallelTrialKeys.parallelism(root, mode, method, earlyStop, count * replicas);
            Double trialTimeout = ParallelTrialKeys.trialTimeout(root, mode);
            return new SweepConfig(file, method, parameters, count, replicas, seed, metrics, mode, earlyStop,
                    parallelism, trialTimeout, startupTrials, trials, factory, null);
        });
        ObjectNode effective = tree(root.effectiveYaml());
        effective.set("base", baseTree);
        return new SweepConfig(sweep.file(), sweep.method(), sweep.parameters(), sweep.count(), sweep.replicas(),
                sweep.seed(), sweep.metrics(), sweep.mode(), sweep.earlyStop(), sweep.parallelism(),
                sweep.trialTimeout(), sweep.startupTrials(), sweep.trials(), sweep.trialFactory(), yaml(effective));
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
                        + ConfigName.of(method));
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
     * it does: trial i is drawn from the trials up to i - parallelism ({@link TpeSettings}), so it stays; so it
     * does with {@code early_stop.kind: asha}, whose promotions are decided on a schedule of {@code parallelism}
     * slots ({@link AshaSchedule}). {@code trial_timeout} is left out too: trials that timed out run again on
     * {@code --resume}, which may give them longer.
     */
    boolean sameStudyAs(String recorded) {
        ObjectNode mine = tree(effectiveYaml);
        ObjectNode theirs;
        try {
            theirs = (ObjectNode) YAML.readTree(recorded);
        } catch (JsonProcessingException | ClassCastException e) {
            return false;
        }
        if (!parallelismDecidesTrials()) {
            mine.remove(PARALLELISM);
            theirs.remove(PARALLELISM);
        }
        mine.remove(TRIAL_TIMEOUT);
        theirs.remove(TRIAL_TIMEOUT);
        EarlyStop.recordedKind(theirs);
        return mine.equals(theirs);
    }

    /** Whether {@code parallelism} changes which trials run or how far: with tpe and with asha. */
    private boolean parallelismDecidesTrials() {
        return method == Method.TPE || (earlyStop != null && earlyStop.kind() == EarlyStop.Kind.ASHA);
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
