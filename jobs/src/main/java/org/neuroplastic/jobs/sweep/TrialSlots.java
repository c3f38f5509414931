package org.neuroplastic.jobs.sweep;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Parallel mode's trials in flight: at most {@link #limit()} Spark jobs at a time, each submitted from a
 * driver thread of its own and reported on one queue when it ends, so the sweep submits the next trial as
 * soon as a slot frees instead of handing Spark a thousand jobs at once (whose closures, states and
 * results the driver would all hold) or polling for ended ones.
 * <p>
 * The default limit is {@code sc.defaultParallelism()}, read each time a trial is about to be submitted:
 * on every cluster manager it is the executors' total cores (local[N]: N) unless
 * {@code spark.default.parallelism} says otherwise, and read late it counts executors that registered
 * after the sweep started (standalone and YARN start with none; dynamic allocation adds them). The
 * executors' cores themselves are not in Spark's public API.
 * <p>
 * Every job runs in a job group of its own, so that one job can be cancelled ({@link #cancel}: a trial over
 * its {@code trial_timeout}), with {@code interruptOnCancel} so that the task's thread is interrupted too;
 * {@link #close} cancels those still in flight if the sweep stops early.
 *
 * @param <K> what the sweep knows a job by
 */
final class TrialSlots<K> implements AutoCloseable {

    /** A job that ended: its key, and its result or the failure that ended it. */
    record Ended<K>(K key, byte[] result, Throwable failure) {
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final JavaSparkContext sc;
    private final Integer parallelism;
    private final String group = "neuroplastic-sweep-" + UUID.randomUUID();
    private final LinkedBlockingQueue<Ended<K>> ended = new LinkedBlockingQueue<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "sweep-trial-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Map<K, String> groups = new ConcurrentHashMap<>();
    private final AtomicInteger jobs = new AtomicInteger();
    private int inFlight;

    /** @param parallelism the sweep's {@code parallelism}, or null for the cluster's task slots */
    TrialSlots(JavaSparkContext sc, Integer parallelism) {
        this.sc = sc;
        this.parallelism = parallelism;
    }

    /** Trials allowed in flight now. */
    int limit() {
        return parallelism != null ? parallelism : Math.max(1, sc.defaultParallelism());
    }

    boolean free() {
        return inFlight < limit();
    }

    int inFlight() {
        return inFlight;
    }

    /** Runs {@code job} (a Spark action returning one task's bytes) on a thread of its own. */
    void submit(K key, String description, Supplier<byte[]> job) {
        inFlight++;
        String jobGroup = group + "-" + jobs.incrementAndGet();
        groups.put(key, jobGroup);
        threads.execute(() -> {
            sc.setJobGroup(jobGroup, description, true);
            try {
                ended.add(new Ended<>(key, job.get(), null));
            } catch (Throwable e) {
                ended.add(new Ended<>(key, null, e));
            }
        });
    }

    /**
     * The next job to end, waiting at most {@code timeoutNanos} (forever when negative); null when none
     * ended in time.
     */
    Ended<K> next(long timeoutNanos) {
        try {
            Ended<K> next = timeoutNanos < 0 ? ended.take() : ended.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (next != null) {
                inFlight--;
                groups.remove(next.key());
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        }
    }

    /**
     * Cancels {@code key}'s job, which then ends (reported by {@link #next}) with the cancellation as its
     * failure, unless it ended already.
     */
    void cancel(K key) {
        String jobGroup = groups.get(key);
        if (jobGroup != null) {
            sc.cancelJobGroup(jobGroup);
        }
    }

    /** Cancels the jobs still in flight (when the sweep stops early) and ends the threads. */
    @Override
    public void close() {
        groups.values().forEach(sc::cancelJobGroup);
        threads.shutdownNow();
    }
}
