package org.neuroplastic.jobs.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.model.network.ConfigName;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A sweep's trials grouped into settings: the trials with the same swept values, which differ only by replica
 * (the sweep adds the replica to the network and data seeds, docs/SCHEMA.md "trials"). Only replicas that
 * trained all their epochs (status {@code ok}) are measured: a trial stopped by successive halving or
 * diverged would mix metrics taken after fewer epochs into the mean.
 *
 * @param trials    every trial of the table, measured or not, in trial id order
 * @param settings  the settings with at least one measured replica, by description
 * @param sweptKeys the configuration keys the sweep varies
 */
record SweepSettings(List<SweepSettings.Replica> trials, List<SweepSettings.Setting> settings, List<String> sweptKeys) {

    /**
     * The per-run measures summarised over replicas, as named in {@code trial_summary} and
     * {@code continual_metrics}: final and best held-out loss and accuracy, the area under the held-out loss
     * curve, and for continual streams ACC, BWT and average forgetting.
     */
    static final List<String> METRICS = List.of("final_test_loss", "best_test_loss", "final_test_accuracy",
            "best_test_accuracy", "test_loss_auc", "average_accuracy", "backward_transfer", "average_forgetting");

    private static final List<String> CONTINUAL_METRICS = List.of("average_accuracy", "backward_transfer", "average_forgetting");
    /** Trials measured to the end: {@code completed}, or {@code ok} in trials tables of schema version 1. */
    private static final Set<String> MEASURED_STATUS = Set.of(ConfigName.of(RunStatus.COMPLETED), "ok");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * One trial.
     *
     * @param parameters    its swept values, key to value as text, sorted by key
     * @param configuration the effective configuration its run recorded (YAML); null without a runs row
     * @param measured      whether it trained all its epochs, so its metrics enter the statistics
     * @param metrics       metric name to value, for the metrics of {@link #METRICS} the run has
     */
    record Replica(String trialId, String runId, Long seed, Map<String, String> parameters, String configuration,
                   boolean measured, Map<String, Double> metrics) {

        /** The trial's value of a configuration key: its swept value, else the one in its run's configuration. */
        Optional<String> valueOf(String key) {
            if (parameters.containsKey(key)) {
                return Optional.of(parameters.get(key));
            }
            return configurationValue(configuration, key);
        }
    }

    /** The measured replicas of one combination of swept values. */
    record Setting(String description, Map<String, String> parameters, List<Replica> replicas) {

        /** The replicas' runs, whose learning curves are averaged. */
        List<String> runIds() {
            return replicas.stream().map(Replica::runId).filter(r -> r != null).toList();
        }
    }

    /** Reads the trials from the registered {@code analysis_*} views of {@link AnalysisTables}. */
    static SweepSettings of(SparkSession spark, AnalysisTables tables, List<String> trialColumns) {
        String parameters = AnalysisTables.parameterMap(trialColumns).orElse("CAST(NULL AS MAP<STRING, STRING>)");
        String seed = trialColumns.contains("seed") ? "CAST(coalesce(t.seed, s.seed) AS BIGINT)" : "s.seed";
        String continual = tables.continual().isPresent()
                ? CONTINUAL_METRICS.stream().map(m -> "c." + m).collect(Collectors.joining(", "))
                : CONTINUAL_METRICS.stream().map(m -> "CAST(NULL AS DOUBLE) AS " + m).collect(Collectors.joining(", "));
        String continualJoin = tables.continual().isPresent()
                ? "LEFT JOIN analysis_" + ContinualTables.CONTINUAL_METRICS + " c ON k.run_id = c.run_id" : "";
        List<Row> rows = spark.sql("""
                SELECT k.trial_id, k.run_id, k.status, %s AS seed, t.swept, r.configuration, %s, %s
                FROM (SELECT *, CAST(trial_id AS STRING) AS trial_key, %s AS swept FROM analysis_trials) t
                JOIN analysis_ranking k ON t.trial_key = k.trial_id
                LEFT JOIN analysis_trial_summary s ON k.run_id = s.run_id
                LEFT JOIN analysis_runs r ON k.run_id = r.run_id
                %s
                ORDER BY k.trial_id""".formatted(seed,
                METRICS.stream().filter(m -> !CONTINUAL_METRICS.contains(m)).map(m -> "s." + m).collect(Collectors.joining(", ")),
                continual, parameters, continualJoin)).collectAsList();
        List<Replica> trials = new ArrayList<>();
        for (Row row : rows) {
            Map<String, String> swept = new TreeMap<>(row.isNullAt(4) ? Map.of() : row.<String, String>getJavaMap(4));
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int m = 0; m < METRICS.size(); m++) {
                if (!row.isNullAt(6 + m)) {
                    metrics.put(METRICS.get(m), row.getDouble(6 + m));
                }
            }
            String status = row.isNullAt(2) ? null : row.getString(2);
            trials.add(new Replica(row.getString(0), row.isNullAt(1) ? null : row.getString(1),
                    row.isNullAt(3) ? null : row.getLong(3), swept, row.isNullAt(5) ? null : row.getString(5),
                    status == null || MEASURED_STATUS.contains(status), metrics));
        }
        return of(trials);
    }

    /** Groups trials by their swept values. */
    static SweepSettings of(List<Replica> trials) {
        Map<String, List<Replica>> bySetting = new TreeMap<>();
        for (Replica trial : trials) {
            if (trial.measured()) {
                bySetting.computeIfAbsent(describe(trial.parameters()), d -> new ArrayList<>()).add(trial);
            }
        }
        List<Setting> settings = bySetting.entrySet().stream()
                .map(e -> new Setting(e.getKey(), e.getValue().get(0).parameters(), List.copyOf(e.getValue())))
                .toList();
        List<String> keys = List.copyOf(trials.stream().flatMap(t -> t.parameters().keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new)));
        return new SweepSettings(List.copyOf(trials), settings, keys);
    }

    /** {@code key=value, key=value} in key order; the base configuration alone when nothing is swept. */
    static String describe(Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return "(base configuration)";
        }
        return new TreeMap<>(parameters).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * The value at a dotted key of a YAML configuration, list entries by index as {@code --set} addresses them
     * ({@code network.hidden.0.size}); empty when the document does not name it or is not YAML.
     */
    static Optional<String> configurationValue(String configuration, String key) {
        if (configuration == null) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = YAML.readTree(configuration);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String segment : Arrays.asList(key.split("\\."))) {
            if (node == null) {
                return Optional.empty();
            }
            node = node.isArray() && segment.matches("\\d+") ? node.get(Integer.parseInt(segment)) : node.get(segment);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.isValueNode() ? node.asText() : node.toString());
    }
}
