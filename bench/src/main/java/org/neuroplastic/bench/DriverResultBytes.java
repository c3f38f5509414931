package org.neuroplastic.bench;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.collection.JavaConverters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes the driver received as task results ({@code taskMetrics().resultSize()}, what every finished task
 * sent back, direct or through the block manager), and the time tasks spent on executors, summed per tag,
 * through Spark's public listener API.
 *
 * <p>A job is tagged by the local property {@value #TAG} of the driver thread that submitted it; the
 * benchmark sets it between averaging rounds (from a round observer), so each round's jobs, whatever and
 * however many they are, carry that round's tag. Listener events arrive asynchronously: {@link #settle}
 * submits a marker job and waits until the listener has seen it start, by which time every event posted
 * before it (the finished jobs' task ends among them) has been delivered, as one listener queue delivers
 * in order.
 */
final class DriverResultBytes extends SparkListener {

    /** The local property naming the measurement step a job belongs to. */
    static final String TAG = "neuroplastic.bench.scaling.tag";
    private static final String MARKER_PREFIX = "marker-";

    private final Map<Integer, String> stageTags = new ConcurrentHashMap<>();
    private final Map<String, Long> bytesByTag = new ConcurrentHashMap<>();
    private final Map<String, Long> taskMillisByTag = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> markers = new ConcurrentHashMap<>();
    private final AtomicInteger markerCount = new AtomicInteger();

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        Properties properties = jobStart.properties();
        String tag = properties == null ? null : properties.getProperty(TAG);
        if (tag == null) {
            return;
        }
        CountDownLatch marker = markers.get(tag);
        if (marker != null) {
            marker.countDown();
            return;
        }
        // A stage listed again by a later job (skipped, its output reused) keeps the tag of the job that ran it.
        for (Object stageId : JavaConverters.seqAsJavaList(jobStart.stageIds())) {
            stageTags.putIfAbsent((Integer) stageId, tag);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        String tag = stageTags.get(taskEnd.stageId());
        if (tag == null || taskEnd.taskMetrics() == null) {
            return;
        }
        bytesByTag.merge(tag, taskEnd.taskMetrics().resultSize(), Long::sum);
        taskMillisByTag.merge(tag, taskEnd.taskMetrics().executorDeserializeTime()
                + taskEnd.taskMetrics().executorRunTime(), Long::sum);
    }

    /**
     * Returns once every event of the jobs submitted so far has reached this listener.
     *
     * @throws IllegalStateException if the marker job's start is not seen within {@code timeout}
     */
    void settle(JavaSparkContext sc, Duration timeout) throws InterruptedException {
        String marker = MARKER_PREFIX + markerCount.incrementAndGet();
        CountDownLatch seen = new CountDownLatch(1);
        markers.put(marker, seen);
        String previous = sc.getLocalProperty(TAG);
        sc.setLocalProperty(TAG, marker);
        try {
            sc.parallelize(List.of(0), 1).count();
        } finally {
            sc.setLocalProperty(TAG, previous);
        }
        if (!seen.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Spark's listener bus did not deliver the marker job's start within "
                    + timeout + " (events dropped or the bus is stuck)");
        }
        markers.remove(marker);
    }

    /**
     * Milliseconds the tasks of the jobs tagged {@code tag} spent on executors (deserializing and running),
     * summed over tasks; call {@link #settle} first.
     */
    long taskMillis(String tag) {
        return taskMillisByTag.getOrDefault(tag, 0L);
    }

    /** Result bytes of the tasks of the jobs tagged {@code tag}; call {@link #settle} first. */
    long bytes(String tag) {
        return bytesByTag.getOrDefault(tag, 0L);
    }
}
