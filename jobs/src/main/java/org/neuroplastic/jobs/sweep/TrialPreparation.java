package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.NetworkConfig;
import org.neuroplastic.jobs.data.DatasetLoader;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.model.network.LearnedParameters;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Parallel mode's trials made ready for their first task: each distinct data set loaded once and written
 * for the executors ({@link TrainingDataFiles}), the network's configuration built. A trial whose data or
 * network cannot be built ends as failed here.
 */
final class TrialPreparation {

    private final SparkSession spark;
    private final PrintStream console;
    private final TrainingDataFiles files;
    private final BiConsumer<RunningTrial, String> failed;
    private final Map<DataSource, TrainingDataFiles.Ref> written = new HashMap<>();
    private final Map<DataSource, DataSource> writtenFrom = new HashMap<>();
    private final Map<DataSource, LoadedDataset> datasets = new HashMap<>();
    private final Map<DataSource, String> unloadable = new HashMap<>();

    /** @param failed ends a trial that cannot be prepared, with a one-line error */
    TrialPreparation(SparkSession spark, PrintStream console, TrainingDataFiles files,
                     BiConsumer<RunningTrial, String> failed) {
        this.spark = spark;
        this.console = console;
        this.files = files;
        this.failed = failed;
    }

    /** The trial ready to submit, or null when it failed. */
    RunningTrial prepare(Trial trial) {
        DataSource source = trial.config().data();
        RunningTrial running = new RunningTrial(trial, ParallelTrials.newRunId());
        load(source);
        if (unloadable.containsKey(source)) {
            failed.accept(running, unloadable.get(source));
            return null;
        }
        LoadedDataset dataset = datasets.get(source);
        NetworkConfig network = trial.config().network();
        if (!network.nInInferred() && network.nIn() != dataset.features()) {
            failed.accept(running, "network.n_in is " + network.nIn() + " but " + dataset.source() + " has "
                    + dataset.features() + " features per row");
            return null;
        }
        try {
            NetworkSpec spec = trial.config().networkFor(dataset.features(), dataset.target(), dataset.source());
            running.configuration = NetworkFactory.configuration(spec, NetworkFactory.Rewiring.BY_LAYER,
                    DataType.FLOAT).toJson();
            if (spec.variant() == NetworkSpec.Variant.DENSE_MATCHED) {
                console.printf(Locale.ROOT, "trial %s %s%n", trial.trialId(), LearnedParameters.describeMatch(spec));
            }
        } catch (RuntimeException e) {
            failed.accept(running, TrialFailure.logged("trial " + trial.trialId() + "'s network", e));
            return null;
        }
        running.standardization = dataset.standardization();
        running.files = written.get(source);
        running.data = writtenFrom.get(source);
        return running;
    }

    /**
     * A minibatch's fixed cost (DL4J's fit loop, the updater, our per-step bookkeeping) in units of one example's
     * work through one learned parameter: about 1 ms against ND4J's ~2e9 such units a second on one core. Only
     * its ratio to the work matters: it keeps a sweep over narrow networks, where that fixed cost dominates, from
     * charging wide trials more than they take (docs/BENCHMARKS.md, {@code bin/benchmark halving --model}).
     */
    static final double MINIBATCH_COST = 2e6;

    /**
     * What an epoch of {@code trial} costs on asha's clock ({@link AshaSchedule}): its minibatches' fixed cost
     * plus its examples' work, each example's taken as its network's learned parameters (what a forward pass,
     * its gradient and a Hebbian update each grow with). 1 when its data or network cannot be built (it then
     * fails when prepared).
     */
    double epochCost(Trial trial) {
        DataSource source = trial.config().data();
        load(source);
        LoadedDataset dataset = datasets.get(source);
        if (dataset == null) {
            return 1;
        }
        try {
            long parameters = LearnedParameters.of(trial.config().networkFor(dataset.features(), dataset.target(),
                    dataset.source()));
            double rows = dataset.trainRows();
            return Math.ceil(rows / trial.config().training().batchSizePerWorker()) * MINIBATCH_COST + rows * parameters;
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** Loads {@code source} and writes it for the executors, once; a failure is kept to fail its trials. */
    private void load(DataSource source) {
        if (written.containsKey(source) || unloadable.containsKey(source)) {
            return;
        }
        try {
            long start = System.nanoTime();
            LoadedDataset dataset = DatasetLoader.load(spark, source, NetworkConfig.INFERRED);
            long loaded = System.nanoTime();
            written.put(source, files.write(dataset));
            console.printf(Locale.ROOT, "data %s: %d training and %d held-out rows, loaded in %.1f s, written "
                    + "for the executors in %.1f s%n", dataset.source(), dataset.trainRows(), dataset.testRows(),
                    (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9);
            writtenFrom.put(source, source);
            datasets.put(source, dataset);
        } catch (RuntimeException e) {
            unloadable.put(source, TrialFailure.logged("loading " + source, e));
        }
    }
}
