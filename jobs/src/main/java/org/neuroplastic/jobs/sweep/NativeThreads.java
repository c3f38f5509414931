package org.neuroplastic.jobs.sweep;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's native threads in a JVM that runs trial tasks: as many per operation as a task has cores
 * ({@code spark.task.cpus}, 1 by default). Without it ND4J sizes its own pool and OpenBLAS's to every core
 * of the machine unless {@code OMP_NUM_THREADS} was in the executor's environment (bin/neuroplastic,
 * deploy/spark-defaults.conf and, for executors it starts, the command line set it; a bare spark-submit does
 * not), and two trials in flight on two cores then ran more native threads than cores. The OpenMP runtime
 * itself reads {@code OMP_NUM_THREADS} once at start, which no task can change: the environment setting
 * stays needed. The settings are the JVM's, not the task's: every task of a sweep asks for the same.
 */
final class NativeThreads {

    private static volatile int applied;

    private NativeThreads() {
    }

    /** Limits ND4J's and BLAS's threads to the running task's cores; a no-op once done with that count. */
    static void limitToTask() {
        TaskContext task = TaskContext.get();
        int threads = Math.max(1, task == null ? 1 : task.cpus());
        if (applied == threads) {
            return;
        }
        synchronized (NativeThreads.class) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            applied = threads;
        }
    }
}
