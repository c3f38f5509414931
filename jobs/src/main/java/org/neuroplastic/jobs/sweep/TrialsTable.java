package org.neuroplastic.jobs.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.RunStatus;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.model.network.ConfigName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code trials} table: one Parquet file, rewritten whole after every trial that finishes. The new
 * table is written beside the old one and swapped in by renames, so a sweep killed at any moment leaves
 * either the old table or the new one.
 */
public final class TrialsTable {

    public static final String FOLDER = "trials";
    /** Version of the layout below; docs/SCHEMA.md states it. */
    public static final int SCHEMA_VERSION = 3;

    private static final String NEXT = ".trials-next";
    private static final String PREVIOUS = ".trials-previous";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fixed columns; the swept keys' columns come between {@code parameters} and {@code seed}. */
    static final List<StructField> LEADING = List.of(
            field("sweep_id", DataTypes.StringType, false),
            field("trial_id", DataTypes.StringType, false),
            field("setting", DataTypes.IntegerType, false),
            field("replica", DataTypes.IntegerType, false),
            field("parameters", DataTypes.StringType, false));
    static final List<StructField> TRAILING = List.of(
            field("seed", DataTypes.LongType, false),
            field("data_seed", DataTypes.LongType, true),
            field("run_id", DataTypes.StringType, true),
            field("status", DataTypes.StringType, false),
            field("error", DataTypes.StringType, true),
            field("epochs_completed", DataTypes.IntegerType, false),
            field("metric", DataTypes.StringType, false),
            field("final_metric", DataTypes.DoubleType, true),
            field("best_metric", DataTypes.DoubleType, true),
            field("best_epoch", DataTypes.IntegerType, true),
            field("final_metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true), false),
            field("wall_seconds", DataTypes.DoubleType, false),
            field("executor_id", DataTypes.StringType, true),
            field("schema_version", DataTypes.IntegerType, false));

    private final SparkSession spark;
    private final List<SweptParameter> parameters;

    public TrialsTable(SparkSession spark, List<SweptParameter> parameters) {
        this.spark = spark;
        this.parameters = List.copyOf(parameters);
    }

    /** The table's schema for this sweep's swept keys. */
    public StructType schema() {
        List<StructField> fields = new ArrayList<>(LEADING);
        for (SweptParameter parameter : parameters) {
            fields.add(field(parameter.column(), DataTypes.StringType, false));
        }
        fields.addAll(TRAILING);
        return new StructType(fields.toArray(StructField[]::new));
    }

    /** Replaces the table under {@code out} with {@code records}. */
    public void write(List<TrialRecord> records, Location out) {
        List<Row> rows = new ArrayList<>(records.size());
        for (TrialRecord r : records) {
            List<Object> values = new ArrayList<>();
            values.add(r.sweepId());
            values.add(r.trialId());
            values.add(r.setting());
            values.add(r.replica());
            values.add(json(r.parameters()));
            for (SweptParameter parameter : parameters) {
                values.add(display(r.parameters().get(parameter.key())));
            }
            values.add(r.seed());
            values.add(r.dataSeed());
            values.add(r.runId());
            values.add(ConfigName.of(r.status()));
            values.add(r.error());
            values.add(r.epochsCompleted());
            values.add(r.metric());
            values.add(r.finalMetric());
            values.add(r.bestMetric());
            values.add(r.bestEpoch());
            values.add(new LinkedHashMap<>(r.finalMetrics()));
            values.add(r.wallSeconds());
            values.add(r.executorId());
            values.add(SCHEMA_VERSION);
            rows.add(RowFactory.create(values.toArray()));
        }
        Location next = out.resolve(NEXT);
        Location table = out.resolve(FOLDER);
        Location previous = out.resolve(PREVIOUS);
        spark.createDataFrame(rows, schema()).coalesce(1).write().mode(SaveMode.Overwrite).parquet(next.uri());
        Storage storage = Storage.of(spark);
        try {
            storage.delete(previous);
            if (storage.exists(table)) {
                storage.rename(table, previous);
            }
            storage.rename(next, table);
            storage.delete(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot swap in the trials table " + table, e);
        }
    }

    /** The table under {@code out} (or the previous one, if a sweep died between the two renames). */
    public List<TrialRecord> read(Location out) {
        Storage storage = Storage.of(spark);
        Location table;
        try {
            table = storage.exists(out.resolve(FOLDER)) ? out.resolve(FOLDER) : out.resolve(PREVIOUS);
            if (!storage.exists(table)) {
                return List.of();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trials table in " + out, e);
        }
        List<TrialRecord> records = new ArrayList<>();
        List<Row> rows = spark.read().parquet(table.uri()).orderBy("trial_id").collectAsList();
        for (Row row : rows) {
            int version = row.<Integer>getAs("schema_version");
            if (version != SCHEMA_VERSION) {
                // Version 1 tables belong to sweeps whose other tables count epochs differently too; version 2
                // tables lack final_metrics, which a multi-objective analysis needs.
                throw new InvalidInputException(table + ": a trials table of schema version " + version
                        + ", written by an earlier version; this one resumes version " + SCHEMA_VERSION
                        + " sweeps only: run the sweep again into a new --out");
            }
        }
        for (Row row : rows) {
            records.add(new TrialRecord(row.getAs("sweep_id"), row.getAs("trial_id"), row.<Integer>getAs("setting"),
                    row.<Integer>getAs("replica"), parameters(row.getAs("parameters")), row.<Long>getAs("seed"),
                    row.getAs("data_seed"), row.getAs("run_id"), RunStatus.read(row.getAs("status")), row.getAs("error"),
                    row.<Integer>getAs("epochs_completed"), row.getAs("metric"), row.getAs("final_metric"),
                    row.getAs("best_metric"), row.getAs("best_epoch"), row.getJavaMap(row.fieldIndex("final_metrics")),
                    row.<Double>getAs("wall_seconds"),
                    row.getAs("executor_id")));
        }
        return records;
    }

    /** A swept value as its column shows it: strings without quotes, anything else as written. */
    static String display(String yamlValue) {
        try {
            JsonNode node = JSON.readTree(yamlValue);
            return node.isTextual() ? node.textValue() : node.toString();
        } catch (JsonProcessingException e) {
            return yamlValue;
        }
    }

    static String json(Map<String, String> parameters) {
        ObjectNode object = JSON.createObjectNode();
        try {
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                object.set(e.getKey(), JSON.readTree(e.getValue()));
            }
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("swept values are JSON texts", e);
        }
    }

    private static Map<String, String> parameters(String json) {
        try {
            Map<String, JsonNode> values = JSON.readValue(json, new TypeReference<LinkedHashMap<String, JsonNode>>() {
            });
            Map<String, String> texts = new LinkedHashMap<>();
            values.forEach((key, value) -> texts.put(key, value.toString()));
            return texts;
        } catch (IOException e) {
            throw new IllegalStateException("the trials table's parameters column is not JSON: " + json, e);
        }
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }
}
