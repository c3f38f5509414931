package org.neuroplastic.jobs.train;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.results.ModelArchive;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;
import org.neuroplastic.model.network.NativeMemory;
import org.neuroplastic.model.network.NetworkFactory;
import org.neuroplastic.model.network.NetworkSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a train run starts: from scratch, or from the last checkpoint of a killed run. A checkpoint
 * ({@code checkpoints/epoch-NNN.zip}, written atomically after epoch NNN's rows) holds the parameters and
 * plastic state, the updater state and the iteration and epoch counts; the minibatch order is a pure
 * function of the data and the configuration, so nothing else is needed to go on.
 *
 * @param epochsDone epochs the network has completed (its epoch count)
 * @param network    the restored network, or null to build a fresh one
 */
record Resumption(int epochsDone, MultiLayerNetwork network) {

    private static final Pattern CHECKPOINT = Pattern.compile("epoch-(\\d{3,})\\.zip");

    static Resumption fresh() {
        return new Resumption(0, null);
    }

    static String checkpointName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%03d.zip", epoch);
    }

    /**
     * The last checkpoint in {@code checkpoints}, read and checked against the configuration and the
     * run's {@code epochs} over all its tasks; a fresh start when there is none (the run was killed during
     * its first epoch).
     */
    static Resumption fromLastCheckpoint(Storage storage, Location checkpoints, NetworkSpec spec, int epochs) {
        int last = 0;
        try {
            for (Location file : storage.list(checkpoints)) {
                Matcher m = CHECKPOINT.matcher(file.name());
                if (m.matches()) {
                    last = Math.max(last, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(checkpoints + ": cannot list the checkpoints: " + e.getMessage());
        }
        if (last == 0) {
            return fresh();
        }
        Location file = checkpoints.resolve(checkpointName(last));
        if (last > epochs) {
            throw new InvalidInputException(file + ": the run has trained " + last + " epochs, more than the "
                    + epochs + " it trains in all");
        }
        MultiLayerNetwork network = ModelArchive.read(storage, file, true);
        if (network.getEpochCount() != last) {
            throw new InvalidInputException(file + ": holds a network after " + network.getEpochCount()
                    + " epochs, expected " + last);
        }
        MultiLayerNetwork configured = NetworkFactory.build(spec, NetworkFactory.Rewiring.BY_TRAINER, DataType.FLOAT);
        if (network.getnLayers() != configured.getnLayers() || network.numParams() != configured.numParams()) {
            throw new InvalidInputException(file + ": holds a network of " + network.getnLayers() + " layers and "
                    + network.numParams() + " parameters, the configuration builds " + configured.getnLayers()
                    + " layers and " + configured.numParams());
        }
        NativeMemory.release(configured);
        return new Resumption(last, network);
    }

    /**
     * Makes the run's rows exactly those of its first {@code epochsDone} epochs: a run killed after
     * appending an epoch's rows but before its checkpoint would otherwise hold them twice once that epoch
     * is trained again. Each table's partition of the run is rewritten beside it and swapped in by two
     * renames; a resume killed between them finishes the swap the next time.
     */
    void dropRowsAfterCheckpoint(SparkSession spark, Location out, String runId) {
        Storage storage = Storage.of(spark);
        keepEpochs(spark, storage, out.resolve(TrajectoryWriter.FOLDER), runId, "epoch <= " + epochsDone, epochsDone > 0);
        keepEpochs(spark, storage, out.resolve(ResultWriter.EVALUATIONS), runId, "epoch <= " + epochsDone, epochsDone > 0);
        try {
            storage.delete(out.resolve(ResultWriter.RUNS).resolve("run_id=" + runId));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the run's row in " + out.resolve(ResultWriter.RUNS), e);
        }
    }

    private static void keepEpochs(SparkSession spark, Storage storage, Location table, String runId, String condition,
                                   boolean keepAny) {
        Location partition = table.resolve("run_id=" + runId);
        // Spark skips folders whose names start with '.' or '_' when it reads the table.
        Location rewritten = table.resolve(".resumed-run_id=" + runId);
        Location replaced = table.resolve(".replaced-run_id=" + runId);
        try {
            if (!storage.exists(partition) && storage.exists(rewritten)) {
                storage.rename(rewritten, partition);
            }
            for (Location leftOver : List.of(rewritten, replaced, table.resolve("_temporary"))) {
                storage.delete(leftOver);
            }
            if (!keepAny) {
                storage.delete(partition);
            }
            if (!storage.exists(partition)) {
                return;
            }
            spark.read().parquet(partition.uri()).where(condition).write().parquet(rewritten.uri());
            storage.rename(partition, replaced);
            storage.rename(rewritten, partition);
            storage.delete(replaced);
        } catch (IOException e) {
            throw new UncheckedIOException("could not rewrite " + partition + " without the rows after the checkpoint", e);
        }
    }
}
