package org.neuroplastic.jobs.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A job configuration as read from its YAML file with the {@code --set key=value} overrides applied,
 * before it is typed. Remembers which keys came from {@code --set} so that a validation message names
 * the override rather than the file.
 */
public final class ConfigDocument {

    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final String file;
    private final ObjectNode root;
    private final Map<String, String> overrides;
    private Storage storage;

    private ConfigDocument(String file, ObjectNode root, Map<String, String> overrides, Storage storage) {
        this.file = file;
        this.root = root;
        this.overrides = overrides;
        this.storage = storage;
    }

    /**
     * Reads {@code file} and applies each {@code key=value} of {@code sets} in order; the paths the
     * configuration names are then located and checked on {@code storage}.
     */
    public static ConfigDocument load(Storage storage, Location file, List<String> sets) {
        String name = file.toString();
        String text;
        try {
            if (storage.isFolder(file)) {
                throw new InvalidInputException(name + ": cannot read the configuration file: it is a folder");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(storage.readBytes(file, Storage.TEXT_LIMIT_BYTES))).toString();
        } catch (FileNotFoundException e) {
            throw new InvalidInputException(name + ": no such configuration file");
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(name + ": not UTF-8 text; a configuration file is YAML text");
        } catch (IOException e) {
            throw new InvalidInputException(name + ": cannot read the configuration file: " + e.getMessage());
        }
        return parse(storage, name, text, sets);
    }

    /**
     * Parses YAML {@code text} that came from {@code file}, for callers that hold the text; paths are
     * located on the storage Spark will use (see {@link Storage#beforeSpark}).
     */
    public static ConfigDocument parse(String file, String text, List<String> sets) {
        return parse(null, file, text, sets);
    }

    /** Parses YAML {@code text} that came from {@code file}; paths are located on {@code storage}. */
    public static ConfigDocument parse(Storage storage, String file, String text, List<String> sets) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": " + describe(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidInputException(file + ": the document is empty; expected a mapping of keys to values");
        }
        if (!tree.isObject()) {
            throw new InvalidInputException(file + ": the document must be a mapping of keys to values, found "
                    + ConfigSection.kind(tree));
        }
        ConfigDocument document = new ConfigDocument(file, (ObjectNode) tree, new HashMap<>(), storage);
        for (String set : sets) {
            document.override(set);
        }
        return document;
    }

    /** The top-level section, to be read by a job's configuration reader. */
    public ConfigSection root() {
        return ConfigSection.root(this, root);
    }

    String file() {
        return file;
    }

    /** Where the paths this configuration names are located and checked. */
    Storage storage() {
        if (storage == null) {
            storage = Storage.beforeSpark();
        }
        return storage;
    }

    /** Where the value of {@code key} came from: the file, or the {@code --set} that replaced it. */
    String origin(String key) {
        for (String candidate = key; !candidate.isEmpty(); candidate = parent(candidate)) {
            String set = overrides.get(candidate);
            if (set != null) {
                return "--set " + set;
            }
        }
        return file;
    }

    private static String parent(String key) {
        int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
        return cut < 0 ? "" : key.substring(0, cut);
    }

    private void override(String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException("--set " + set + ": expected key=value, e.g. training.epochs=3");
        }
        // List entries may be written as messages print them (hidden[0].size) or as path parts (hidden.0.size).
        String key = set.substring(0, eq).trim().replaceAll("\\[(\\d+)]", ".$1");
        String valueText = set.substring(eq + 1);
        JsonNode value;
        try {
            value = valueText.isBlank() ? NullNode.getInstance() : YAML.readTree(valueText);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("--set " + set + ": the value is not valid YAML: " + describe(e));
        }
        if (value == null || value.isMissingNode()) {
            value = NullNode.getInstance();
        }
        String[] parts = key.split("\\.", -1);
        JsonNode node = root;
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new InvalidInputException("--set " + set + ": the key has an empty part");
            }
            boolean last = i == parts.length - 1;
            if (node instanceof ObjectNode object) {
                path.append(path.length() == 0 ? "" : ".").append(part);
                if (last) {
                    object.set(part, value);
                } else {
                    JsonNode child = object.get(part);
                    if (child == null || child.isNull()) {
                        child = isIndex(parts[i + 1]) ? object.putArray(part) : object.putObject(part);
                    }
                    node = child;
                }
            } else if (node instanceof ArrayNode array && isIndex(part)) {
                int index = Integer.parseInt(part);
                if (index > array.size()) {
                    throw new InvalidInputException("--set " + set + ": " + path + " has " + array.size()
                            + " entries, so the index must be at most " + array.size() + ", found " + index);
                }
                path.append('[').append(index).append(']');
                if (index == array.size()) {
                    array.add(last ? value : JsonNodeFactory.instance.objectNode());
                } else if (last) {
                    array.set(index, value);
                }
                node = array.get(index);
            } else {
                throw new InvalidInputException("--set " + set + ": " + path + " is " + ConfigSection.kind(node)
                        + ", so it has no key " + part);
            }
        }
        overrides.put(path.toString(), set);
    }

    private static boolean isIndex(String part) {
        return !part.isEmpty() && part.chars().allMatch(Character::isDigit) && part.length() < 9;
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        JsonLocation location = e.getLocation();
        if (message != null && message.startsWith("Duplicate field")) {
            message = "duplicated key " + message.substring("Duplicate field".length()).trim();
        }
        String line = message == null ? "not valid YAML" : message.lines().findFirst().orElse("not valid YAML");
        return location == null || location.getLineNr() < 1 ? line : line + " (line " + location.getLineNr() + ")";
    }

    /** Writes {@code effective} as YAML text. */
    static String toYaml(JsonNode effective) {
        try {
            return YAML.writeValueAsString(effective);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the effective configuration", e);
        }
    }
}
