package org.neuroplastic.jobs.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file a job reads or writes for a user goes through {@link Storage}, on Hadoop's file systems; a
 * {@code java.nio.file} path would silently mean the driver's local disk, whatever the user named
 * ({@code --out hdfs://...} became a local folder named {@code hdfs:}).
 */
class StorageBoundaryTest {

    /** Where {@code java.nio.file} is allowed, and why. */
    private static final Set<String> ALLOWED = Set.of(
            // The local disk's own links and locks, which Hadoop's file systems do not expose.
            "org/neuroplastic/jobs/storage/LocalDisk.java");

    @Test
    void noJobCodeOutsideTheStorageLayerUsesJavaNioFile() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !ALLOWED.contains(main.relativize(p).toString().replace('\\', '/')))
                    .filter(p -> read(p).contains("java.nio.file"))
                    .map(p -> main.relativize(p).toString())
                    .toList();
        }
        assertThat(offenders).as("files using java.nio.file instead of storage.Storage").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
