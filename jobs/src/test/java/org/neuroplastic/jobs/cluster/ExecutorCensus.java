package org.neuroplastic.jobs.cluster;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Spark application that reports which executor JVMs ran its tasks, one line per distinct executor:
 * {@code census executor=<id> pid=<pid>}, after {@code census application=<id> driver-pid=<pid>}.
 * Arguments: the number of tasks, and how long each task holds its executor (ISO-8601, e.g. PT0S).
 */
public final class ExecutorCensus {

    private ExecutorCensus() {
    }

    public static void main(String[] args) throws InterruptedException {
        int tasks = Integer.parseInt(args[0]);
        long holdMillis = Duration.parse(args[1]).toMillis();
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setAppName("executor-census"))) {
            List<String> executors = spark.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                    .map(task -> {
                        Thread.sleep(holdMillis);
                        return "census executor=" + SparkEnv.get().executorId()
                                + " pid=" + ProcessHandle.current().pid();
                    })
                    .distinct()
                    .collect();
            System.out.println("census application=" + spark.sc().applicationId()
                    + " driver-pid=" + ProcessHandle.current().pid());
            executors.forEach(System.out::println);
        }
    }
}
