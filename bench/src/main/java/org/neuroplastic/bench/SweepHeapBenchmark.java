package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.neuroplastic.jobs.config.ConfigDocument;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.sweep.SweepConfig;
import org.neuroplastic.jobs.sweep.SweepJob;
import org.neuroplastic.jobs.sweep.SweepSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;

/**
 * What a parallel-mode sweep keeps on the driver as it grows: the same small random-search sweep at two
 * sizes (default 50 and 200 trials), one after the other in one JVM on embedded Spark, each followed by
 * the driver's heap still in use after a full collection (what the driver retains) and the peak of its
 * old generation during the sweep (what survived young collections at the worst moment). In embedded mode
 * the executors run in the driver's JVM, so both include what the trial tasks hold while they run; what
 * grows with the number of trials would be the driver's own.
 */
@Command(name = "benchmark sweep-heap", sortOptions = false,
        description = "The driver's heap after parallel-mode sweeps of growing size.")
public final class SweepHeapBenchmark extends BenchmarkCommand {

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

    @Option(names = "--trials", paramLabel = "N", split = ",", defaultValue = "50,200",
            description = "Trials of each sweep, run one after the other (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    public static void main(String[] args) {
        BenchmarkCommandLine.main(new SweepHeapBenchmark(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (sizes.stream().anyMatch(trials -> trials < 1)) {
            throw badArgument("--trials takes positive whole numbers, found " + sizes);
        }
        BenchmarkSession.nativeThreads(1);
        SparkSession spark = BenchmarkSession.spark(master, "sweep-heap-benchmark");
        Storage storage = Storage.of(new Configuration());
        System.out.println("sweep-heap: the driver's heap after parallel-mode sweeps of growing size");
        BenchmarkProvenance.of(BenchmarkProvenance.checkout()).print(System.out);
        System.out.println("master: " + master);
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
        return 0;
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
}
