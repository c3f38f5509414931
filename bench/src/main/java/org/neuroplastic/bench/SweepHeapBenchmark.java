package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.SweepConfig;
import org.neuroplastic.jobs.sweep.SweepJob;
import org.neuroplastic.jobs.sweep.SweepSummary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a parallel-mode sweep keeps on the driver as it grows: the same small random-search sweep at two
 * sizes (default 50 and 200 trials), one after the other in one JVM on embedded Spark, each followed by
 * the driver's heap still in use after a full collection (what the driver retains) and the peak of its
 * old generation during the sweep (what survived young collections at the worst moment). In embedded mode
 * the executors run in the driver's JVM, so both include what the trial tasks hold while they run; what
 * grows with the number of trials would be the driver's own.
 *
 * <p>Arguments (optional): {@code --trials 50,200}, {@code --master local[2]}.
 */
public final class SweepHeapBenchmark {

    /** Synthetic 5-class data, one 16-unit plastic layer, one epoch: a trial takes about a second. */
    private static final String SWEEP = """
            base:
              data: {format: synthetic, generator: classification, rows: 600, partitions: 2, seed: 7,
                     test_fraction: 0.2, features: 20, classes: 5}
              network:
                n_in: 20
                hidden:
                  - size: 16
                    activation: relu
                    plasticity:
                      hebbian: {enabled: true, rule: oja, eta: 0.01}
                      structural: {enabled: true, density: 0.5, zeta: 0.1, rewire_every: 5, regrowth: hebbian}
                output: {activation: softmax, loss: cross_entropy}
                updater: {name: adam, learning_rate: 0.003}
                seed: 11
              training: {batch_size_per_worker: 32, epochs: 1, trajectories: true}
            method: random
            count: %d
            seed: 5
            parameters:
              network.hidden.0.plasticity.hebbian.eta: {distribution: log_uniform, min: 0.0001, max: 0.1}
              network.updater.learning_rate: {distribution: log_uniform, min: 0.0003, max: 0.03}
            metric: {name: test_accuracy, goal: maximize}
            mode: parallel
            """;

    private SweepHeapBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = List.of(50, 200);
        String master = "local[2]";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> sizes = parseSizes(value(args, ++i, "--trials"));
                case "--master" -> master = value(args, ++i, "--master");
                default -> throw new IllegalArgumentException("sweep-heap: unknown argument " + args[i]
                        + "; expected --trials N,M or --master URL");
            }
        }
        BenchmarkSession.nativeThreads(1);
        SparkSession spark = BenchmarkSession.spark(master, "sweep-heap-benchmark");
        Storage storage = Storage.of(new Configuration());
        System.out.println("sweep-heap: the driver's heap after parallel-mode sweeps of growing size");
        System.out.println("date_utc: " + Instant.now());
        System.out.println("master: " + master);
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "load_average: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("driver_max_heap_mb: " + Runtime.getRuntime().maxMemory() / (1 << 20));
        System.out.println("sweep: random search, 2 parameters, synthetic 5-class data of 600 rows, "
                + "one 16-unit plastic layer, 1 epoch per trial, trajectories on");
        System.out.println("retained_after_gc_mb: heap in use after System.gc() at the sweep's end; "
                + "old_gen_peak_mb: peak of the old generation during the sweep (reset after a full collection before it)");
        for (int trials : sizes) {
            Location out = storage.locate(System.getProperty("java.io.tmpdir") + "/sweep-heap-" + trials + "-"
                    + System.nanoTime());
            fullCollection();
            resetPeaks();
            long start = System.nanoTime();
            SweepConfig config = SweepConfig.read(ConfigDocument.parse("sweep-heap.yaml", SWEEP.formatted(trials),
                    List.of()));
            SweepSummary summary = SweepJob.run(config, spark, out, false,
                    new PrintStream(new ByteArrayOutputStream(), true));
            double seconds = (System.nanoTime() - start) / 1e9;
            double oldGenPeak = oldGenPeakMb();
            fullCollection();
            double retained = usedHeapMb();
            System.out.printf(Locale.ROOT, "trials: %d ok: %d wall_s: %.1f old_gen_peak_mb: %.1f "
                            + "retained_after_gc_mb: %.1f%n", trials, summary.completed(), seconds, oldGenPeak, retained);
            storage.delete(out);
        }
        spark.stop();
    }

    private static void fullCollection() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static double oldGenPeakMb() {
        double peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1 << 20);
    }

    private static double usedHeapMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (double) (1 << 20);
    }

    private static List<Integer> parseSizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            sizes.add(Integer.parseInt(part.trim()));
        }
        return sizes;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("sweep-heap: " + option + " needs a value");
        }
        return args[i];
    }
}
