package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * What a resumed run must keep from the run it continues: its id (the partition of its rows), when it
 * started, and the effective configuration it was started with. Written as
 * {@code checkpoints/run.properties} (plain text) before the first epoch.
 *
 * @param configuration the effective configuration as YAML
 */
record RunIdentity(String runId, Instant startedAt, String configuration) {

    static final String FILE = "run.properties";

    void write(Path checkpoints) {
        Properties properties = new Properties();
        properties.setProperty("run_id", runId);
        properties.setProperty("started_at", startedAt.toString());
        properties.setProperty("configuration", configuration);
        Path file = checkpoints.resolve(FILE);
        Path partial = checkpoints.resolve(FILE + ".partial");
        try {
            Files.createDirectories(checkpoints);
            try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                properties.store(writer, "the run a train --resume continues");
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    static RunIdentity read(Path checkpoints) {
        Path file = checkpoints.resolve(FILE);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": missing; the folder holds no resumable train run");
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException(file + ": unreadable (" + e.getMessage() + ")");
        }
        String runId = required(properties, "run_id", file);
        String started = required(properties, "started_at", file);
        String configuration = required(properties, "configuration", file);
        if (!runId.matches("[A-Za-z0-9_-]+")) {
            throw new InvalidInputException(file + ": run_id must be letters, digits, '-' or '_', found " + runId);
        }
        try {
            return new RunIdentity(runId, Instant.parse(started), configuration);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(file + ": started_at must be an ISO-8601 instant, found " + started);
        }
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(file + ": " + key + " is missing");
        }
        return value;
    }
}
