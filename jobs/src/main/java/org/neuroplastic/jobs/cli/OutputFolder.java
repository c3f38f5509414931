package org.neuroplastic.jobs.cli;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.CommitMarker;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A job's output folder, written under a hidden staging name beside it and renamed into place only when
 * the job succeeds, so a failed run leaves nothing behind; a finished folder is marked by its
 * {@link CommitMarker}, which readers wait for (on object stores the rename is a copy, and the marker,
 * written after it, is the commit).
 */
final class OutputFolder {

    private final Storage storage;
    private final Location target;
    private final Location staging;
    private final List<Location> createdParents;
    private final boolean overwrite;
    private final boolean inPlace;
    private final String keepIfPresent;
    private final boolean resumed;

    private OutputFolder(Storage storage, Location target, Location staging, List<Location> createdParents,
                         boolean overwrite, boolean inPlace, String keepIfPresent, boolean resumed) {
        this.storage = storage;
        this.target = target;
        this.staging = staging;
        this.createdParents = createdParents;
        this.overwrite = overwrite;
        this.inPlace = inPlace;
        this.keepIfPresent = keepIfPresent;
        this.resumed = resumed;
    }

    /** Refuses an existing {@code target} unless {@code overwrite}, then creates the staging folder. */
    static OutputFolder prepare(Storage storage, Location target, boolean overwrite) {
        Location real = realLocation(storage, target);
        try {
            boolean exists = storage.exists(real);
            if (exists && !overwrite) {
                throw new InvalidInputException("--out " + target + " already exists; choose another folder or pass --overwrite");
            }
            if (exists && !storage.isFolder(real)) {
                throw new InvalidInputException("--out " + target + " is a file, not a folder");
            }
            List<Location> createdParents = missingFolders(storage, real.parent());
            Location staging = real.parent().resolve("." + real.name() + ".staging-" + UUID.randomUUID().toString().substring(0, 8));
            storage.createFolder(staging);
            return new OutputFolder(storage, real, staging, createdParents, overwrite, false, null, false);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create the folder: " + e.getMessage());
        }
    }

    /**
     * The staging folder a killed job left beside {@code target} ({@code .<name>.staging-*}, see
     * {@link #prepare}), to go on writing in it: the one holding {@code marker} (a file only a job that
     * can be resumed writes). It is kept when the resumed job fails, so that it can be resumed again.
     */
    static OutputFolder resume(Storage storage, Location target, String marker) {
        Location real = realLocation(storage, target);
        List<Location> resumable = new ArrayList<>();
        Location parent = real.parent();
        try {
            if (storage.exists(real)) {
                throw new InvalidInputException("--out " + target + " already exists: that run completed; there is nothing to resume");
            }
            for (Location sibling : storage.listFolders(parent)) {
                if (sibling.name().startsWith("." + real.name() + ".staging-") && !storage.isSymbolicLink(sibling)
                        && storage.isFile(sibling.below(marker))) {
                    resumable.add(sibling);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot list " + parent + ": " + e.getMessage());
        }
        if (resumable.isEmpty()) {
            throw new InvalidInputException("--resume: no killed run of --out " + target + " to resume (no folder ."
                    + real.name() + ".staging-* holding " + marker + " in " + parent + ")");
        }
        if (resumable.size() > 1) {
            throw new InvalidInputException("--resume: " + resumable.size() + " killed runs of --out " + target
                    + " could be resumed (" + resumable.stream().map(Location::name).toList()
                    + "); delete all but the one to resume");
        }
        return new OutputFolder(storage, real, resumable.get(0), List.of(), false, false, null, true);
    }

    /**
     * A folder the job writes in place, for jobs that can be resumed after being killed (a sweep): an
     * existing {@code target} is refused unless {@code resume} (continue in it) or {@code overwrite}
     * (delete it now). {@link #abandon} deletes it only if this call created it and it does not hold
     * {@code keepIfPresent} (results worth resuming from).
     */
    static OutputFolder inPlace(Storage storage, Location target, boolean overwrite, boolean resume, String keepIfPresent) {
        Location real = realLocation(storage, target);
        try {
            boolean exists = storage.exists(real);
            if (exists && !storage.isFolder(real)) {
                throw new InvalidInputException("--out " + target + " is a file, not a folder");
            }
            if (exists && !overwrite && !resume) {
                throw new InvalidInputException("--out " + target
                        + " already exists; choose another folder, pass --resume to continue it or --overwrite to replace it");
            }
            if (exists && overwrite) {
                storage.delete(real);
            }
            List<Location> created = missingFolders(storage, real);
            storage.createFolder(real);
            // A resumed sweep is not committed until it ends again.
            storage.delete(real.resolve(CommitMarker.FILE));
            return new OutputFolder(storage, real, real, created, overwrite, true, keepIfPresent, false);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create the folder: " + e.getMessage());
        }
    }

    /** The folders from {@code folder} up that do not exist yet, deepest first. */
    private static List<Location> missingFolders(Storage storage, Location folder) throws IOException {
        List<Location> missing = new ArrayList<>();
        for (Location f = folder; f != null && !storage.exists(f); f = f.parent()) {
            missing.add(f);
        }
        return missing;
    }

    /**
     * Where {@code target} really is. The rule for links (the local disk's only): {@code --out} itself
     * must not be a symbolic link (to a folder, a file or nothing), since replacing, resuming or deleting
     * it would act on whatever it points to, possibly outside the folders the user meant; folders above it
     * may be links (a home or scratch folder often is one) and are resolved here, so the staging folder
     * and the rename that commits it happen in the real parent folder.
     */
    private static Location realLocation(Storage storage, Location target) {
        if (storage.isSymbolicLink(target)) {
            throw new InvalidInputException("--out " + target + " is a symbolic link (to " + storage.linkTarget(target)
                    + "); name the folder itself");
        }
        Location real;
        try {
            real = storage.real(target);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot resolve the folder: " + e.getMessage());
        }
        if (real.parent() == null) {
            throw new InvalidInputException("--out " + target + " is the root of its file system; name a folder below it");
        }
        return real;
    }

    /** Where the job writes its results until {@link #commit}. */
    Location staging() {
        return staging;
    }

    Location target() {
        return target;
    }

    /**
     * Moves the staging folder to the target, replacing an existing one only when overwriting, and marks
     * it committed: before the rename where the rename is atomic (the folder appears whole, marker
     * included), after it on object stores (the marker appears only once every file was copied).
     */
    void commit() {
        try {
            if (inPlace) {
                CommitMarker.write(storage, target);
                return;
            }
            boolean atomic = storage.renamesAtomically(target);
            if (atomic) {
                CommitMarker.write(storage, staging);
            }
            if (overwrite) {
                storage.delete(target);
            }
            storage.rename(staging, target);
            if (!atomic) {
                CommitMarker.write(storage, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staging + " to " + target, e);
        }
    }

    /** Deletes the staging folder and any parent folder {@link #prepare} created; keeps a resumed one. */
    void abandon() {
        if (resumed) {
            return;
        }
        try {
            if (inPlace && (createdParents.isEmpty() || storage.exists(target.resolve(keepIfPresent)))) {
                return;
            }
            storage.delete(staging);
            for (Location parent : createdParents) {
                if (storage.list(parent).isEmpty()) {
                    storage.delete(parent);
                } else {
                    // Another process wrote into a parent we created: it is theirs now.
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + staging, e);
        }
    }
}
