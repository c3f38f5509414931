package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run's folder ({@code checkpoints/run.lock}) held while the run trains, so that
 * {@code train --resume} never continues a run whose driver is still alive. The operating system drops
 * the lock when the process dies, however it dies.
 */
final class RunLock implements AutoCloseable {

    static final String FILE = "run.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws InvalidInputException when another process (or this one) holds the run's lock */
    static RunLock acquire(Path checkpoints) {
        Path file = checkpoints.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(checkpoints);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw heldElsewhere(file);
            }
            return new RunLock(file, channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw heldElsewhere(file);
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("could not lock " + file, e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static InvalidInputException heldElsewhere(Path file) {
        return new InvalidInputException(file + " is locked: a train job is still writing this run; "
                + "resume it only once that job has ended");
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing: the first error is the one to report.
            }
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release " + file, e);
        }
    }
}
