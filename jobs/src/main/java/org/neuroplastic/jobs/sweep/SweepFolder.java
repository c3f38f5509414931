package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.OutputName;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A sweep's output folder. Each trial writes its rows under {@code .staging/<trial_id>/} in the train
 * job's layout; when the trial ends, its {@code run_id=...} partitions are moved into the sweep's
 * {@code trajectories/}, {@code evaluations/}, {@code runs/} and {@code standardization/}. The shared
 * tables therefore only ever hold whole trials, and a resumed sweep removes whatever a killed attempt left.
 */
final class SweepFolder {

    static final String STAGING = ".staging";
    static final String MODELS = "models";
    static final List<String> TABLES = List.of(TrajectoryWriter.FOLDER, ResultWriter.EVALUATIONS, ResultWriter.RUNS,
            ResultWriter.STANDARDIZATION);
    private static final String PARTITION = "run_id=";
    private static final String MODEL = "model.zip";

    private final Storage storage;
    private final Location out;

    SweepFolder(Storage storage, Location out) {
        this.storage = storage;
        this.out = out;
    }

    Location out() {
        return out;
    }

    /** An empty staging folder named {@code name} (a trial id, or a batch of trials). */
    Location staging(String name) {
        Location staging = OutputName.resolve(out.resolve(STAGING), "staging folder", name);
        try {
            storage.delete(staging);
            storage.createFolder(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging, e);
        }
        return staging;
    }

    /** The run id of the (single) run staged in {@code staging}, or null if none wrote a row. */
    static String stagedRunId(Storage storage, Location staging) {
        for (String table : TABLES) {
            for (Location partition : partitions(storage, staging.resolve(table))) {
                return partition.name().substring(PARTITION.length());
            }
        }
        return null;
    }

    /**
     * Moves the partitions of {@code runId} (and the model, if any) from {@code staging} into the sweep's
     * tables; {@code staging} may hold other trials' runs too.
     */
    void commit(String trialId, String runId, Location staging) {
        try {
            for (String table : TABLES) {
                Location partition = runId == null ? null
                        : OutputName.resolve(staging.resolve(table), "run_id", PARTITION + runId);
                if (runId != null && storage.isFolder(partition)) {
                    storage.rename(partition, out.resolve(table).resolve(partition.name()));
                }
            }
            Location model = staging.resolve(MODEL);
            if (storage.exists(model)) {
                Location target = OutputName.resolve(out.resolve(MODELS), "trial_id", trialId + ".zip");
                storage.delete(target);
                storage.rename(model, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move trial " + trialId + "'s results from " + staging, e);
        }
    }

    /** Deletes a staging folder once its trials are committed. */
    void discard(Location staging) {
        try {
            storage.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + staging, e);
        }
    }

    /**
     * Removes what does not belong to a finished trial: staged rows of trials that never ended, and
     * partitions and models of runs that are not {@code keptRuns} (failed trials that will run again, or a
     * trial committed just before a kill and not yet in the trials table).
     */
    void discardUnfinished(Set<String> keptRuns, Set<String> keptTrials) {
        try {
            storage.delete(out.resolve(STAGING));
            for (String table : TABLES) {
                for (Location partition : partitions(storage, out.resolve(table))) {
                    if (!keptRuns.contains(partition.name().substring(PARTITION.length()))) {
                        storage.delete(partition);
                    }
                }
            }
            for (Location model : storage.list(out.resolve(MODELS))) {
                String trialId = model.name().replaceFirst("\\.zip$", "");
                if (!keptTrials.contains(trialId)) {
                    storage.delete(model);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the sweep folder " + out, e);
        }
    }

    private static List<Location> partitions(Storage storage, Location table) {
        try {
            List<Location> partitions = new ArrayList<>();
            for (Location folder : storage.listFolders(table)) {
                if (folder.name().startsWith(PARTITION)) {
                    partitions.add(folder);
                }
            }
            return partitions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + table, e);
        }
    }
}
