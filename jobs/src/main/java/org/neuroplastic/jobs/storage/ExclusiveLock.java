package org.neuroplastic.jobs.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lock one process at a time holds on a file, released by {@link #close}. What it guarantees depends on
 * the file system, since only the local disk has locks the operating system drops when a process dies:
 * <ul>
 * <li>the local disk: an operating-system lock ({@code FileChannel.tryLock}); released the moment its
 * process dies, however it dies;</li>
 * <li>HDFS, object stores and every other file system: a lease file naming its holder, rewritten every
 * sixth of the lease. A file not rewritten for the lease ({@link #LEASE} unless the Hadoop property
 * {@value #LEASE_PROPERTY} says otherwise) is taken as abandoned by a dead process, so a lock is free at
 * most one lease after its holder died. The lease compares the file system's
 * modification time with this machine's clock: clocks must agree to well within {@code LEASE}. On an
 * object store two processes that try within the same second can both believe they won (no store here
 * offers an atomic create-if-absent through Hadoop); the lock guards against a forgotten driver, not a
 * deliberate race.</li>
 * </ul>
 */
@FunctionalInterface
public interface ExclusiveLock extends AutoCloseable {

    Duration LEASE = Duration.ofSeconds(60);
    /** Hadoop property (e.g. {@code --conf spark.hadoop.neuroplastic.lock.lease.seconds=30}) for the lease. */
    String LEASE_PROPERTY = "neuroplastic.lock.lease.seconds";

    /**
     * Takes the lock on {@code file}, or returns null when another process holds it (or this one does,
     * on the local disk).
     */
    static ExclusiveLock tryAcquire(Storage storage, Location file) throws IOException {
        if ("file".equals(file.scheme())) {
            return LocalDisk.tryLock(file.path().toUri());
        }
        Duration lease = lease(storage);
        return lease(storage, file, lease, lease.dividedBy(6));
    }

    /** How long a lease lasts without a heartbeat on {@code storage}'s file systems. */
    static Duration lease(Storage storage) {
        long seconds = storage.configuration().getLong(LEASE_PROPERTY, LEASE.toSeconds());
        if (seconds < 1) {
            throw new IllegalArgumentException(LEASE_PROPERTY + " must be >= 1 second, found " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** The lease file lock on any file system, with the given timings (tests shorten them). */
    static ExclusiveLock lease(Storage storage, Location file, Duration lease, Duration heartbeat) throws IOException {
        if (storage.isFile(file) && System.currentTimeMillis() - storage.modifiedAt(file) < lease.toMillis()) {
            return null;
        }
        String holder = UUID.randomUUID() + " " + ManagementFactory.getRuntimeMXBean().getName();
        Storage.Content content = out -> out.write((holder + "\n").getBytes(StandardCharsets.UTF_8));
        try (OutputStream out = storage.create(file)) {
            content.writeTo(out);
        }
        if (!storage.readText(file).equals(holder + "\n")) {
            return null;
        }
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lease " + file);
            thread.setDaemon(true);
            return thread;
        });
        beat.scheduleWithFixedDelay(() -> {
            try (OutputStream out = storage.create(file)) {
                content.writeTo(out);
            } catch (IOException e) {
                // The next beat tries again; the lease only lapses after several missed beats.
            }
        }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            // Not shutdownNow: interrupting a beat mid-write would leave HDFS's client mid-close.
            beat.shutdown();
            try {
                beat.awaitTermination(heartbeat.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            storage.delete(file);
        };
    }

    @Override
    void close() throws IOException;
}
