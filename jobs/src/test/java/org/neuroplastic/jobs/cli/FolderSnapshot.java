package org.neuroplastic.jobs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every entry under a folder (links not followed) with its size and modification time, to prove a run wrote nothing. */
public final class FolderSnapshot {

    private final Path root;
    private final Map<String, String> entries;

    private FolderSnapshot(Path root, Map<String, String> entries) {
        this.root = root;
        this.entries = entries;
    }

    public static FolderSnapshot of(Path root) {
        return new FolderSnapshot(root, read(root));
    }

    public void assertUnchanged() {
        assertThat(read(root)).as("entries under " + root).isEqualTo(entries);
    }

    private static Map<String, String> read(Path root) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String kind = Files.isSymbolicLink(path) ? "link to " + Files.readSymbolicLink(path)
                        : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "folder"
                        : Files.size(path) + " bytes, modified " + Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
                entries.put(root.relativize(path).toString(), kind);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
