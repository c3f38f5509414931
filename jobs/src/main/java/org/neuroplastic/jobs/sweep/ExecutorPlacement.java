package org.neuroplastic.jobs.sweep;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the next trial task should run: on the executor with the fewest of this sweep's trials in flight
 * among those with a free task slot, so that no executor trains two trials while another trains none.
 * Spark's scheduler does not spread a one-task job: it offers the task to the executors in a random order
 * and the first with a free core takes it, so with executors of several cores two trials often share one
 * executor (and its memory bandwidth) while another idles. The chosen executor becomes the task's preferred
 * location ({@code executor_<host>_<id>}, which the scheduler runs {@code PROCESS_LOCAL}); should it be
 * busy or gone, the task runs elsewhere after {@code spark.locality.wait}, as any task would.
 * <p>
 * The executors, their task slots and running tasks are those of Spark's status store, the data behind
 * the documented REST endpoint {@code /api/v1/applications/<id>/executors}; its Scala accessor is
 * {@code private[spark]}, so should a Spark version lack it, trials are placed by Spark alone. With one
 * executor (local mode: the driver) there is nothing to choose. Cost per trial: one pass over the
 * executors, O(executors), on the driver.
 */
final class ExecutorPlacement<K> {

    private final SparkContext sc;
    /** Trials in flight per executor id, as placed here. */
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<K, String> placed = new HashMap<>();
    private boolean unavailable;

    ExecutorPlacement(SparkContext sc) {
        this.sc = sc;
    }

    /**
     * A one-element RDD (the element 0) for {@code key}'s trial task, preferring the least busy executor;
     * {@link #ended} must be called when the task ends.
     */
    JavaRDD<Integer> seed(K key) {
        Executor chosen = least(executors(), inFlight);
        if (chosen == null) {
            return JavaSparkContext.fromSparkContext(sc).parallelize(List.of(0), 1);
        }
        placed.put(key, chosen.id());
        inFlight.merge(chosen.id(), 1, Integer::sum);
        Seq<String> where = JavaConverters.asScalaBuffer(List.of(chosen.location())).toSeq();
        Seq<Tuple2<Integer, Seq<String>>> element = JavaConverters.asScalaBuffer(List.of(new Tuple2<>(0, where))).toSeq();
        return sc.makeRDD(element, ClassTag$.MODULE$.apply(Integer.class)).toJavaRDD();
    }

    /** Frees the place {@code key}'s task held. */
    void ended(K key) {
        String executor = placed.remove(key);
        if (executor != null) {
            inFlight.computeIfPresent(executor, (id, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** An executor as the status store lists it: its task slots and the tasks it runs now (any job's). */
    record Executor(String id, String host, int slots, int activeTasks) {

        /** The preferred location that names this executor to the task scheduler. */
        String location() {
            return "executor_" + host + "_" + id;
        }
    }

    /**
     * The executor for the next trial: of those with fewer of the sweep's trials in flight than slots, the one
     * with the fewest, then the fewest running tasks, then the first by id. Null with fewer than two executors
     * (nothing to choose) or none free (Spark queues the task).
     */
    static Executor least(List<Executor> executors, Map<String, Integer> inFlight) {
        if (executors.size() < 2) {
            return null;
        }
        return executors.stream()
                .filter(e -> inFlight.getOrDefault(e.id(), 0) < e.slots())
                .min(Comparator.<Executor>comparingInt(e -> inFlight.getOrDefault(e.id(), 0))
                        .thenComparingInt(Executor::activeTasks)
                        .thenComparing(Executor::id))
                .orElse(null);
    }

    private List<Executor> executors() {
        if (unavailable) {
            return List.of();
        }
        try {
            List<Executor> active = new ArrayList<>();
            for (ExecutorSummary e : JavaConverters.seqAsJavaList(sc.statusStore().executorList(true))) {
                int port = e.hostPort().lastIndexOf(':');
                if (e.isActive() && !e.id().equals("driver") && port > 0) {
                    active.add(new Executor(e.id(), e.hostPort().substring(0, port), e.maxTasks(), e.activeTasks()));
                }
            }
            return active;
        } catch (LinkageError e) {
            unavailable = true;
            return List.of();
        }
    }
}
