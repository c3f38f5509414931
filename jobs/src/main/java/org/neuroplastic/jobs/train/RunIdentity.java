package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    void write(Storage storage, Location checkpoints) {
        Properties properties = new Properties();
        properties.setProperty("run_id", runId);
        properties.setProperty("started_at", startedAt.toString());
        properties.setProperty("configuration", configuration);
        Location file = checkpoints.resolve(FILE);
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "the run a train --resume continues");
            storage.writeText(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    static RunIdentity read(Storage storage, Location checkpoints) {
        Location file = checkpoints.resolve(FILE);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(storage.readText(file)));
        } catch (FileNotFoundException e) {
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

    private static String required(Properties properties, String key, Location file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(file + ": " + key + " is missing");
        }
        return value;
    }
}
