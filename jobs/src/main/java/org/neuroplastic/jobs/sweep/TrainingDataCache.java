package org.neuroplastic.jobs.sweep;

import org.apache.hadoop.conf.Configuration;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data sets of parallel mode held in this JVM, one copy per data set's files, shared by every trial
 * task the JVM runs: read on first use (tasks that want it meanwhile wait for that one read), kept until
 * the sweep releases it. Keyed by the files' location, which is unique to one attempt of one sweep, so a
 * later sweep, or a resumed one, never sees stale data; the first task of another sweep drops the copies of
 * every earlier one, in case its release missed this executor. Trials never modify the arrays.
 */
final class TrainingDataCache {

    private static final class Entry {
        final String sweep;
        private TrainingData data;

        Entry(String sweep) {
            this.sweep = sweep;
        }

        synchronized TrainingData load(Configuration conf, TrainingDataFiles.Ref ref) {
            if (data == null) {
                try {
                    data = TrainingData.read(Storage.of(conf), ref);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the sweep's data set " + ref.folder(), e);
                }
                LOADS.incrementAndGet();
            }
            return data;
        }
    }

    private static final Map<String, Entry> ENTRIES = new HashMap<>();
    private static final AtomicLong LOADS = new AtomicLong();

    private TrainingDataCache() {
    }

    /** The data set {@code ref} names, read now unless this JVM holds it already. */
    static TrainingData get(Configuration conf, TrainingDataFiles.Ref ref) {
        Entry entry;
        synchronized (ENTRIES) {
            ENTRIES.values().removeIf(e -> !e.sweep.equals(ref.sweep()));
            entry = ENTRIES.computeIfAbsent(ref.folder(), folder -> new Entry(ref.sweep()));
        }
        return entry.load(conf, ref);
    }

    /** Forgets the data sets of the sweep whose data folder is {@code sweep}; returns how many were held. */
    static int release(String sweep) {
        synchronized (ENTRIES) {
            int before = ENTRIES.size();
            ENTRIES.values().removeIf(e -> e.sweep.equals(sweep));
            return before - ENTRIES.size();
        }
    }

    /** Data sets of the sweep held in this JVM. */
    static int held(String sweep) {
        synchronized (ENTRIES) {
            return (int) ENTRIES.values().stream().filter(e -> e.sweep.equals(sweep)).count();
        }
    }

    /** Data sets held in this JVM, over all sweeps. */
    static int held() {
        synchronized (ENTRIES) {
            return ENTRIES.size();
        }
    }

    /** Data sets read from files in this JVM since it started, over all sweeps. */
    static long loads() {
        return LOADS.get();
    }
}
