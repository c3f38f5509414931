package org.neuroplastic.jobs.storage;

import org.apache.hadoop.conf.Configuration;
import org.neuroplastic.jobs.config.ConfigDocument;

import java.nio.file.Path;
import java.util.List;

/** The local disk as the jobs see it, for tests that make their inputs and read their outputs as local files. */
public final class LocalFiles {

    private static final Storage STORAGE = Storage.of(new Configuration());

    private LocalFiles() {
    }

    public static Storage storage() {
        return STORAGE;
    }

    /** The job's location of a local file or folder. */
    public static Location at(Path path) {
        return STORAGE.locate(path.toAbsolutePath().toString());
    }

    /** A configuration file read as {@code --config} reads it. */
    public static ConfigDocument load(Path file, List<String> sets) {
        return ConfigDocument.load(STORAGE, STORAGE.locate(file.toString()), sets);
    }
}
