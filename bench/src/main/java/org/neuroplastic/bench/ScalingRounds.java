package org.neuroplastic.bench;

import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.TrainingSettings;
import org.neuroplastic.jobs.train.EpochReport;
import org.neuroplastic.jobs.train.MinibatchLayout;
import org.neuroplastic.jobs.train.ResidentAveragingMaster;
import org.neuroplastic.jobs.train.RoundBudget;
import org.neuroplastic.jobs.train.StructuralRewiring;
import org.neuroplastic.jobs.train.WorkerRound;
import org.neuroplastic.jobs.trajectory.PlasticityLayerMetrics;
import org.neuroplastic.jobs.trajectory.TrajectoryScope;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The scaling benchmark's measuring loop: one configuration's averaging rounds through the resident master's
 * public interface, timed by its round observer, with Spark's listener counting the bytes tasks send the driver.
 */
final class ScalingRounds {

    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    private ScalingRounds() {
    }

    /**
     * One configuration: N workers each training a network of {@code spec}, {@code warmUp + rounds} rounds of
     * one minibatch each, in one epoch; {@code grouped}: {@code training.workers_per_task} auto, else 1 (a task per
     * worker, as on a cluster of one single-core executor per worker).
     */
    static ScalingMeasurement measure(SparkSession spark, int workers, NetworkSpec spec, int warmUp, int rounds, int batch,
                                      boolean grouped) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long parameters = ScalingNetwork.parameterCount(spec);
        DriverResultBytes results = new DriverResultBytes();
        sc.sc().addSparkListener(results);
        String previousTag = sc.getLocalProperty(DriverResultBytes.TAG);
        resetHeapPeaks();
        try {
            MultiLayerNetwork network = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
            int roundsPerEpoch = warmUp + rounds;
            TrainingSettings settings = TrainingSettings.resident(workers, batch, 1, 1).withTrajectories(false)
                    .withWorkersPerTask(grouped ? TrainingSettings.WORKERS_PER_TASK_AUTO : 1);
            RoundBudget.check(sc.getConf(), Runtime.getRuntime().maxMemory(), network, settings);
            RoundBudget.checkResidentNetworks(sc.getConf(), Pointer.maxBytes(), network, settings);
            RoundBudget.checkWorkerSums(sc.getConf(), sc.defaultParallelism(), Runtime.getRuntime().maxMemory(), network,
                    settings);
            sc.setLocalProperty(DriverResultBytes.TAG, "setup");
            JavaRDD<DataSet> data = MinibatchLayout.distribute(sc,
                    syntheticMinibatches(spec.nIn(), workers * roundsPerEpoch, batch), workers);
            double[] overheads = new double[rounds];
            double[] walls = new double[rounds];
            double[] fits = new double[rounds];
            double[] fitsPerSlot = new double[rounds];
            double[] beyondFits = new double[rounds];
            int slots = sc.defaultParallelism();
            String runId = String.format(Locale.ROOT, "scaling-%d-%d-%d", workers, parameters, System.nanoTime());
            EpochReport epoch;
            try (ResidentAveragingMaster master = new ResidentAveragingMaster(settings,
                    new TrajectoryScope(runId, null, 0), new PlasticityLayerMetrics())) {
                master.addRoundListener(new StructuralRewiring());
                master.addRoundObserver((round, roundsInEpoch, averagedRows) -> {
                    int measured = round.round() - warmUp;
                    if (measured >= 0 && measured < rounds) {
                        overheads[measured] = round.overheadMs();
                        walls[measured] = round.wallNanos() / 1e6;
                        fits[measured] = round.slowestFitNanos() / 1e6;
                        fitsPerSlot[measured] = round.workers().stream().mapToLong(WorkerRound::fitNanos).sum()
                                / 1e6 / slots;
                        beyondFits[measured] = walls[measured] - Math.max(fits[measured], fitsPerSlot[measured]);
                    }
                    // Jobs submitted from here on, until the next round ends, belong to the next round.
                    sc.setLocalProperty(DriverResultBytes.TAG, String.valueOf(round.round() + 1));
                });
                SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(sc, network, master);
                sc.setLocalProperty(DriverResultBytes.TAG, "0");
                epoch = master.fitEpoch(trainer, data);
                sc.setLocalProperty(DriverResultBytes.TAG, "close");
            }
            if (epoch.rounds() != roundsPerEpoch) {
                throw new IllegalStateException("the epoch ran " + epoch.rounds() + " rounds, expected " + roundsPerEpoch);
            }
            results.settle(sc, SETTLE_TIMEOUT);
            long bytes = 0;
            double[] executorShares = new double[rounds];
            double[] driverShares = new double[rounds];
            double[] perWorker = new double[rounds];
            for (int r = warmUp; r < roundsPerEpoch; r++) {
                bytes += results.bytes(String.valueOf(r));
                long taskMillis = results.taskMillis(String.valueOf(r));
                executorShares[r - warmUp] = (double) taskMillis / slots;
                driverShares[r - warmUp] = walls[r - warmUp] - executorShares[r - warmUp];
                perWorker[r - warmUp] = (double) taskMillis / workers;
            }
            return new ScalingMeasurement(workers, parameters, settings.workersPerTaskOn(slots), grouped, median(overheads), median(walls), median(fits),
                    median(fitsPerSlot), median(beyondFits),
                    median(executorShares), median(driverShares), median(perWorker), bytes / rounds, heapPeakMb(),
                    rounds, null, null);
        } catch (InvalidInputException e) {
            return ScalingMeasurement.unsuccessful(workers, parameters, grouped, "refused", e.getMessage());
        } catch (OutOfMemoryError e) {
            return ScalingMeasurement.unsuccessful(workers, parameters, grouped, "failed", "OutOfMemoryError: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScalingMeasurement.unsuccessful(workers, parameters, grouped, "failed", "interrupted");
        } catch (RuntimeException e) {
            String reason = reason(e);
            boolean overResultSize = reason.contains("spark.driver.maxResultSize");
            return ScalingMeasurement.unsuccessful(workers, parameters, grouped, overResultSize ? "refused" : "failed", reason);
        } finally {
            sc.setLocalProperty(DriverResultBytes.TAG, previousTag);
            sc.sc().removeSparkListener(results);
        }
    }

    /** The first line of the innermost Spark failure's message, else of the outermost one. */
    private static String reason(Throwable e) {
        Throwable shown = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkException) {
                shown = t;
            }
        }
        String message = String.valueOf(shown.getMessage());
        String line = message.lines().findFirst().orElse("");
        return shown.getClass().getSimpleName() + ": " + line;
    }

    private static List<DataSet> syntheticMinibatches(int features, int count, int batch) {
        Random random = new Random(7);
        List<DataSet> minibatches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[][] x = new float[batch][features];
            float[][] y = new float[batch][ScalingNetwork.CLASSES];
            for (int row = 0; row < batch; row++) {
                for (int j = 0; j < features; j++) {
                    x[row][j] = random.nextFloat();
                }
                y[row][random.nextInt(ScalingNetwork.CLASSES)] = 1f;
            }
            minibatches.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return minibatches;
    }

    private static void resetHeapPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak usage since the last reset (their peaks need not coincide: an upper bound). */
    private static double heapPeakMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
