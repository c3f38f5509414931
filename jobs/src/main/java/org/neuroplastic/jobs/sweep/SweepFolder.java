package org.neuroplastic.jobs.sweep;

import org.neuroplastic.jobs.results.OutputName;
import org.neuroplastic.jobs.results.ResultWriter;
import org.neuroplastic.jobs.trajectory.TrajectoryWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.neuroplastic.jobs.results.FolderTree;

/**
 * A sweep's output folder. Each trial writes its rows under {@code .staging/<trial_id>/} in the train
 * job's layout; when the trial ends, its {@code run_id=...} partitions are moved into the sweep's
 * {@code trajectories/}, {@code evaluations/} and {@code runs/}. The shared tables therefore only ever
 * hold whole trials, and a resumed sweep removes whatever a killed attempt left.
 */
final class SweepFolder {

    static final String STAGING = ".staging";
    static final String MODELS = "models";
    static final List<String> TABLES = List.of(TrajectoryWriter.FOLDER, ResultWriter.EVALUATIONS, ResultWriter.RUNS);
    private static final String PARTITION = "run_id=";
    private static final String MODEL = "model.zip";

    private final Path out;

    SweepFolder(Path out) {
        this.out = out;
    }

    Path out() {
        return out;
    }

    /** An empty staging folder named {@code name} (a trial id, or a batch of trials). */
    Path staging(String name) {
        Path staging = OutputName.resolve(out.resolve(STAGING), "staging folder", name);
        try {
            FolderTree.delete(staging);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging, e);
        }
        return staging;
    }

    /** The run id of the (single) run staged in {@code staging}, or null if none wrote a row. */
    static String stagedRunId(Path staging) {
        for (String table : TABLES) {
            for (Path partition : partitions(staging.resolve(table))) {
                return partition.getFileName().toString().substring(PARTITION.length());
            }
        }
        return null;
    }

    /**
     * Moves the partitions of {@code runId} (and the model, if any) from {@code staging} into the sweep's
     * tables; {@code staging} may hold other trials' runs too.
     */
    void commit(String trialId, String runId, Path staging) {
        try {
            for (String table : TABLES) {
                Path partition = runId == null ? null : OutputName.resolve(staging.resolve(table), "run_id", PARTITION + runId);
                if (runId != null && Files.isDirectory(partition)) {
                    Path target = out.resolve(table);
                    Files.createDirectories(target);
                    Files.move(partition, target.resolve(partition.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Path model = staging.resolve(MODEL);
            if (Files.exists(model)) {
                Files.createDirectories(out.resolve(MODELS));
                Files.move(model, OutputName.resolve(out.resolve(MODELS), "trial_id", trialId + ".zip"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move trial " + trialId + "'s results from " + staging, e);
        }
    }

    /** Deletes a staging folder once its trials are committed. */
    void discard(Path staging) {
        try {
            FolderTree.delete(staging);
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
            FolderTree.delete(out.resolve(STAGING));
            for (String table : TABLES) {
                for (Path partition : partitions(out.resolve(table))) {
                    if (!keptRuns.contains(partition.getFileName().toString().substring(PARTITION.length()))) {
                        FolderTree.delete(partition);
                    }
                }
            }
            Path models = out.resolve(MODELS);
            if (Files.isDirectory(models)) {
                try (Stream<Path> files = Files.list(models)) {
                    for (Path model : files.toList()) {
                        String trialId = model.getFileName().toString().replaceFirst("\\.zip$", "");
                        if (!keptTrials.contains(trialId)) {
                            Files.delete(model);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the sweep folder " + out, e);
        }
    }

    private static List<Path> partitions(Path table) {
        if (!Files.isDirectory(table)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(table)) {
            return children.filter(p -> p.getFileName().toString().startsWith(PARTITION) && Files.isDirectory(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + table, e);
        }
    }
}
