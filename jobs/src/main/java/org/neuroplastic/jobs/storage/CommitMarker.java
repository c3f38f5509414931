package org.neuroplastic.jobs.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The file that makes a job's output folder visible: {@code _COMMITTED}, written last, naming every file
 * of the commit with its size. On the local disk and HDFS the folder is renamed into place whole, so
 * the marker only confirms it; on object stores, where that rename is a copy that a reader can see half
 * done, it is the commit itself. Readers of our outputs ({@code analyze}, resumes) take a folder only
 * when its marker is there, and only the files the marker names.
 */
public final class CommitMarker {

    public static final String FILE = "_COMMITTED";
    private static final String HEADER = "neuroplastic commit 1: size in bytes, tab, path relative to this folder";

    private CommitMarker() {
    }

    /** Names every file now below {@code folder} in its marker. */
    public static void write(Storage storage, Location folder) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Long> file : storage.filesBelow(folder).entrySet()) {
            if (!file.getKey().equals(FILE)) {
                text.append(file.getValue()).append('\t').append(file.getKey()).append('\n');
            }
        }
        storage.writeCompletely(folder.resolve(FILE), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static boolean isCommitted(Storage storage, Location folder) throws IOException {
        return storage.isFile(folder.resolve(FILE));
    }

    /**
     * The files the marker of {@code folder} names, with their sizes.
     *
     * @throws IOException when there is no marker or it is not one
     */
    public static SortedMap<String, Long> files(Storage storage, Location folder) throws IOException {
        String[] lines = storage.readText(folder.resolve(FILE)).split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IOException(folder.resolve(FILE) + " is not a commit marker");
        }
        SortedMap<String, Long> files = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int tab = lines[i].indexOf('\t');
            if (tab <= 0) {
                throw new IOException(folder.resolve(FILE) + ": line " + (i + 1) + " is not 'size<TAB>path'");
            }
            try {
                files.put(lines[i].substring(tab + 1), Long.parseLong(lines[i].substring(0, tab)));
            } catch (NumberFormatException e) {
                throw new IOException(folder.resolve(FILE) + ": line " + (i + 1) + " has no size");
            }
        }
        return files;
    }
}
