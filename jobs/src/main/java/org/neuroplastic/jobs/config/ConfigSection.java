package org.neuroplastic.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.model.network.ConfigName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One mapping of a configuration document, read into typed values. Every value read (or its default)
 * is copied to the effective configuration; keys that no reader asked for are rejected by
 * {@link #build}, so a misspelt key never passes silently.
 *
 * <p>Longer than most classes here on purpose: it is every typed read a configuration offers (numbers,
 * flags, choices, sections, lists, locations), each with its one-line refusal, in one place, so that every
 * parser refuses bad input the same way.
 */
public final class ConfigSection {

    private final ConfigDocument document;
    private final String path;
    private final ObjectNode node;
    private final ObjectNode effective;
    private final Set<String> known = new LinkedHashSet<>();

    private ConfigSection(ConfigDocument document, String path, ObjectNode node, ObjectNode effective) {
        this.document = document;
        this.path = path;
        this.node = node;
        this.effective = effective;
    }

    static ConfigSection root(ConfigDocument document, ObjectNode node) {
        return new ConfigSection(document, "", node, JsonNodeFactory.instance.objectNode());
    }

    /** The effective configuration read so far, defaults included, as YAML. */
    public String effectiveYaml() {
        return ConfigDocument.toYaml(effective);
    }

    /** The configuration file's name, for messages about things the file points to. */
    public String file() {
        return document.file();
    }

    /** The full key of {@code key} in this section, e.g. {@code training.epochs}. */
    public String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Whether the key is written, even without a value (which the typed readers then reject). */
    public boolean has(String key) {
        return node.has(key);
    }

    /** The names of this section's keys, in the file's order; for sections whose keys are data. */
    public List<String> keys() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * The value of {@code key} whatever its shape (scalar, list or mapping), copied as is to the
     * effective configuration; null when the key is absent. For values whose shape is itself a choice.
     */
    public JsonNode raw(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        if (value != null) {
            effective.set(key, value.deepCopy());
        }
        return value;
    }

    /** A nested mapping; an absent one reads as empty so that its defaults apply. */
    public ConfigSection section(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        ObjectNode mirror = effective.putObject(key);
        if (value == null || value.isNull()) {
            return new ConfigSection(document, key(key), JsonNodeFactory.instance.objectNode(), mirror);
        }
        if (!value.isObject()) {
            throw wrongType(key, "a mapping", value);
        }
        return new ConfigSection(document, key(key), (ObjectNode) value, mirror);
    }

    /** A required, non-empty list of mappings. */
    public List<ConfigSection> sections(String key) {
        JsonNode value = required(key);
        if (!value.isArray()) {
            throw wrongType(key, "a list of mappings", value);
        }
        if (value.isEmpty()) {
            throw error(key, key(key) + " must list at least one entry, found an empty list");
        }
        ArrayNode mirror = effective.putArray(key);
        List<ConfigSection> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = key(key) + "[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidInputException(document.origin(itemPath) + ": " + itemPath
                        + " must be a mapping, found " + kind(item));
            }
            result.add(new ConfigSection(document, itemPath, (ObjectNode) item, mirror.addObject()));
        }
        return result;
    }

    public int integer(String key) {
        return toInt(key, required(key));
    }

    public int integer(String key, int fallback) {
        return has(key) ? integer(key) : remember(key, fallback);
    }

    /** An integer, or {@code keyword} (also the default) which reads as {@code keywordValue}. */
    public int integerOr(String key, String keyword, int keywordValue) {
        known.add(key);
        JsonNode value = node.get(key);
        if (value != null && value.isNull()) {
            throw noValue(key);
        }
        if (value == null || (value.isTextual() && value.textValue().equals(keyword))) {
            effective.put(key, keyword);
            return keywordValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(key, "an integer or " + keyword, value);
        }
        effective.put(key, value.intValue());
        return value.intValue();
    }

    public long longInteger(String key, long fallback) {
        if (!has(key)) {
            known.add(key);
            effective.put(key, fallback);
            return fallback;
        }
        JsonNode value = required(key);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(key, "an integer", value);
        }
        effective.put(key, value.longValue());
        return value.longValue();
    }

    public double number(String key) {
        JsonNode value = required(key);
        if (!value.isNumber()) {
            throw wrongType(key, "a number", value);
        }
        effective.put(key, value.doubleValue());
        return value.doubleValue();
    }

    public double number(String key, double fallback) {
        if (has(key)) {
            return number(key);
        }
        known.add(key);
        effective.put(key, fallback);
        return fallback;
    }

    public boolean flag(String key, boolean fallback) {
        known.add(key);
        if (!has(key)) {
            effective.put(key, fallback);
            return fallback;
        }
        JsonNode value = node.get(key);
        if (!value.isBoolean()) {
            throw wrongType(key, "true or false", value);
        }
        effective.put(key, value.booleanValue());
        return value.booleanValue();
    }

    public String text(String key) {
        JsonNode value = required(key);
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw wrongType(key, "a non-empty string", value);
        }
        int unpaired = unpairedSurrogate(value.textValue());
        if (unpaired >= 0) {
            // YAML's "\ud800" escape reads into such a string, which no file name or column holds and the
            // effective configuration could not write back as the same text.
            throw error(key, key(key) + " must be well-formed Unicode text, found an unpaired surrogate U+"
                    + Integer.toHexString(value.textValue().charAt(unpaired)).toUpperCase(Locale.ROOT)
                    + " at character " + (unpaired + 1));
        }
        effective.put(key, value.textValue());
        return value.textValue();
    }

    public String text(String key, String fallback) {
        if (has(key)) {
            return text(key);
        }
        known.add(key);
        effective.put(key, fallback);
        return fallback;
    }

    /** The index of the first surrogate not part of a pair, or -1. */
    private static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A file as a path or URI ({@code hdfs://...}, {@code s3a://...}); a path without a scheme is on the
     * default file system (see {@link Storage#locate}). Text that no path can hold (a NUL character, say)
     * is rejected naming the key.
     */
    public Location location(String key) {
        return locate(key, text(key));
    }

    /** {@code text}, the value of {@code key}, as a location. */
    public Location locate(String key, String text) {
        try {
            return document.storage().locate(text);
        } catch (IllegalArgumentException e) {
            throw error(key, key(key) + " must be a file path or URI, found text '" + text + "' (" + e.getMessage() + ")");
        }
    }

    /** Where the files this configuration names are read from. */
    public Storage storage() {
        return document.storage();
    }

    /** An optional string; {@code null} when absent (and then left out of the effective configuration). */
    public String optionalText(String key) {
        known.add(key);
        return has(key) ? text(key) : null;
    }

    /** One of {@code type}'s constants, written in YAML as its lower-case name. */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        JsonNode value = required(key);
        E[] constants = type.getEnumConstants();
        String allowed = Arrays.stream(constants).map(ConfigName::of).collect(Collectors.joining(", "));
        if (value.isTextual()) {
            for (E constant : constants) {
                if (ConfigName.of(constant).equals(value.textValue())) {
                    effective.put(key, ConfigName.of(constant));
                    return constant;
                }
            }
        }
        throw error(key, key(key) + " must be one of " + allowed + ", found " + kind(value));
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        if (has(key)) {
            return choice(key, type);
        }
        known.add(key);
        effective.put(key, ConfigName.of(fallback));
        return fallback;
    }

    /**
     * Runs {@code constructor}, which reads this section and builds its record, then rejects keys it
     * did not read. A record's own validation message (an {@link IllegalArgumentException} starting with
     * its key) is qualified with this section's path and the key's origin.
     */
    public <T> T build(Supplier<T> constructor) {
        T result;
        try {
            result = constructor.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid value" : e.getMessage();
            boolean qualified = path.isEmpty() || message.startsWith(path + ".");
            String full = qualified ? message : path + "." + message;
            throw new InvalidInputException(document.origin(full.split(" ", 2)[0]) + ": " + full);
        }
        rejectUnknownKeys();
        return result;
    }

    /**
     * Fails when the section has {@code oldKey}, a key an earlier version read, naming the key that
     * replaced it, so that an old file is refused with the fix rather than as an unknown key.
     */
    public void refuseRenamed(String oldKey, String newKey) {
        if (has(oldKey)) {
            throw error(oldKey, key(oldKey) + " was renamed " + key(newKey) + " (same values); write "
                    + newKey + ": instead");
        }
    }

    /** Fails naming the first key of this section that no reader asked for. */
    public void rejectUnknownKeys() {
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!known.contains(name)) {
                String expected = known.isEmpty() ? "this section takes no keys"
                        : "known keys here: " + String.join(", ", known);
                throw error(name, "unknown key " + key(name) + " (" + expected + ")");
            }
        }
    }

    /** A one-line error about {@code key}, prefixed with where the key's value came from. */
    public InvalidInputException error(String key, String message) {
        return new InvalidInputException(document.origin(key(key)) + ": " + message);
    }


    public static String kind(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "text '" + value.textValue() + "'";
        }
        if (value.isBoolean()) {
            return String.valueOf(value.booleanValue());
        }
        return value.asText();
    }

    private JsonNode required(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        if (value == null) {
            throw error(key, key(key) + " is required");
        }
        if (value.isNull()) {
            throw noValue(key);
        }
        return value;
    }

    private int toInt(String key, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(key, "an integer", value);
        }
        effective.put(key, value.intValue());
        return value.intValue();
    }

    private int remember(String key, int fallback) {
        known.add(key);
        effective.put(key, fallback);
        return fallback;
    }

    private InvalidInputException noValue(String key) {
        return error(key, key(key) + " has no value; give one or remove the key to use the default");
    }

    private InvalidInputException wrongType(String key, String expected, JsonNode found) {
        return error(key, key(key) + " must be " + expected + ", found " + kind(found));
    }
}
