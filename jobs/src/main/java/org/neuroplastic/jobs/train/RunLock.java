package org.neuroplastic.jobs.train;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.ExclusiveLock;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An exclusive lock on a run's folder ({@code checkpoints/run.lock}) held while the run trains, so that
 * {@code train --resume} never continues a run whose driver is still alive. On the local disk the
 * operating system drops it the moment the driver dies; elsewhere it is a lease that lapses one lease
 * after the driver's last heartbeat ({@link ExclusiveLock} says what each
 * guarantees).
 */
final class RunLock implements AutoCloseable {

    static final String FILE = "run.lock";

    private final Location file;
    private final ExclusiveLock lock;

    private RunLock(Location file, ExclusiveLock lock) {
        this.file = file;
        this.lock = lock;
    }

    /** @throws InvalidInputException when another process (or this one) holds the run's lock */
    static RunLock acquire(Storage storage, Location checkpoints) {
        Location file = checkpoints.resolve(FILE);
        ExclusiveLock lock;
        try {
            storage.createFolder(checkpoints);
            lock = ExclusiveLock.tryAcquire(storage, file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + file, e);
        }
        if (lock == null) {
            throw new InvalidInputException(file + " is locked: a train job is still writing this run; resume it only once "
                    + "that job has ended" + ("file".equals(file.scheme()) ? ""
                    : " (a killed job's lock lapses " + ExclusiveLock.lease(storage).toSeconds()
                    + " s after its last heartbeat, " + ExclusiveLock.LEASE_PROPERTY + ")"));
        }
        return new RunLock(file, lock);
    }

    @Override
    public void close() {
        try {
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release " + file, e);
        }
    }
}
