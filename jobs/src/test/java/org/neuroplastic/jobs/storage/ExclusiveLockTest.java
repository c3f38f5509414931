package org.neuroplastic.jobs.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExclusiveLockTest {

    private final Storage storage = LocalFiles.storage();

    @Test
    void theLocalDiskLockIsExclusiveUntilReleased(@TempDir Path dir) throws IOException {
        Location file = LocalFiles.at(dir.resolve("run.lock"));
        ExclusiveLock held = ExclusiveLock.tryAcquire(storage, file);
        assertThat(held).isNotNull();
        assertThat(ExclusiveLock.tryAcquire(storage, file)).isNull();
        held.close();
        assertThat(Files.exists(dir.resolve("run.lock"))).isFalse();
        ExclusiveLock again = ExclusiveLock.tryAcquire(storage, file);
        assertThat(again).isNotNull();
        again.close();
    }

    @Test
    void aLeaseIsRefusedWhileItsHolderBeatsAndTakenOverOnceItLapses(@TempDir Path dir) throws Exception {
        Location file = LocalFiles.at(dir.resolve("run.lock"));
        Duration lease = Duration.ofMillis(1500);
        ExclusiveLock holder = ExclusiveLock.lease(storage, file, lease, Duration.ofMillis(200));
        assertThat(holder).isNotNull();
        // Longer than the lease: only the holder's heartbeat keeps the lock taken.
        Thread.sleep(2000);
        assertThat(ExclusiveLock.lease(storage, file, lease, Duration.ofMillis(200))).isNull();
        holder.close();
        assertThat(Files.exists(dir.resolve("run.lock"))).isFalse();

        // A holder that died: the file stays, its heartbeat stops, and the lease lapses.
        Files.writeString(dir.resolve("run.lock"), "a dead driver\n");
        assertThat(ExclusiveLock.lease(storage, file, lease, Duration.ofMillis(200))).isNull();
        Thread.sleep(lease.toMillis() + 200);
        ExclusiveLock successor = ExclusiveLock.lease(storage, file, lease, Duration.ofMillis(200));
        assertThat(successor).isNotNull();
        successor.close();
    }
}
