package org.neuroplastic.jobs.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What only the local disk has and Hadoop's file systems do not report: symbolic links, and locks that
 * the operating system drops when their process dies. The one place in the jobs that uses
 * {@code java.nio.file} on a user's path.
 */
final class LocalDisk {

    private LocalDisk() {
    }

    static boolean isSymbolicLink(URI file) {
        return Files.isSymbolicLink(Path.of(file));
    }

    /**
     * {@code file} with the links of the folders above it resolved (itself may not exist yet), as an
     * absolute path.
     */
    static String real(URI file) throws IOException {
        Path absolute = Path.of(file).toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(existing.relativize(absolute)).normalize().toString();
    }

    /** Where the link points, for messages. */
    static String linkTarget(URI link) {
        try {
            return String.valueOf(Files.readSymbolicLink(Path.of(link)));
        } catch (IOException e) {
            return "an unreadable target";
        }
    }

    /** An operating-system lock on {@code file} (created if need be), or null when another holds it. */
    static ExclusiveLock tryLock(URI file) throws IOException {
        Path path = Path.of(file);
        Files.createDirectories(path.getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return () -> {
                Files.deleteIfExists(path);
                lock.release();
                channel.close();
            };
        } catch (OverlappingFileLockException e) {
            channel.close();
            return null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
