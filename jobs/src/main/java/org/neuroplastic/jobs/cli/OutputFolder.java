package org.neuroplastic.jobs.cli;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.neuroplastic.jobs.results.FolderTree;

/**
 * A job's output folder, written under a hidden staging name beside it and renamed into place only when
 * the job succeeds, so a failed run leaves nothing behind and a finished folder is always complete.
 */
final class OutputFolder {

    private final Path target;
    private final Path staging;
    private final List<Path> createdParents;
    private final boolean overwrite;
    private final boolean inPlace;
    private final String keepIfPresent;
    private final boolean resumed;

    private OutputFolder(Path target, Path staging, List<Path> createdParents, boolean overwrite, boolean inPlace,
                         String keepIfPresent, boolean resumed) {
        this.target = target;
        this.staging = staging;
        this.createdParents = createdParents;
        this.overwrite = overwrite;
        this.inPlace = inPlace;
        this.keepIfPresent = keepIfPresent;
        this.resumed = resumed;
    }

    /** Refuses an existing {@code target} unless {@code overwrite}, then creates the staging folder. */
    static OutputFolder prepare(Path target, boolean overwrite) {
        Path absolute = realLocation(target);
        if (Files.exists(absolute) && !overwrite) {
            throw new InvalidInputException("--out " + target + " already exists; choose another folder or pass --overwrite");
        }
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new InvalidInputException("--out " + target + " is a file, not a folder");
        }
        List<Path> createdParents = new ArrayList<>();
        try {
            for (Path parent = absolute.getParent(); parent != null && !Files.exists(parent); parent = parent.getParent()) {
                createdParents.add(parent);
            }
            Files.createDirectories(absolute.getParent());
            Path staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".staging-");
            return new OutputFolder(absolute, staging, createdParents, overwrite, false, null, false);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create the folder: " + e.getMessage());
        }
    }

    /**
     * The staging folder a killed job left beside {@code target} ({@code .<name>.staging-*}, see
     * {@link #prepare}), to go on writing in it: the one holding {@code marker} (a file only a job that
     * can be resumed writes). It is kept when the resumed job fails, so that it can be resumed again.
     */
    static OutputFolder resume(Path target, String marker) {
        Path absolute = realLocation(target);
        if (Files.exists(absolute)) {
            throw new InvalidInputException("--out " + target + " already exists: that run completed; there is nothing to resume");
        }
        List<Path> resumable = new ArrayList<>();
        Path parent = absolute.getParent();
        if (Files.isDirectory(parent)) {
            try (Stream<Path> siblings = Files.list(parent)) {
                siblings.filter(p -> p.getFileName().toString().startsWith("." + absolute.getFileName() + ".staging-"))
                        .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> Files.isRegularFile(p.resolve(marker), LinkOption.NOFOLLOW_LINKS))
                        .sorted()
                        .forEach(resumable::add);
            } catch (IOException e) {
                throw new InvalidInputException("--out " + target + ": cannot list " + parent + ": " + e.getMessage());
            }
        }
        if (resumable.isEmpty()) {
            throw new InvalidInputException("--resume: no killed run of --out " + target + " to resume (no folder ."
                    + absolute.getFileName() + ".staging-* holding " + marker + " in " + parent + ")");
        }
        if (resumable.size() > 1) {
            throw new InvalidInputException("--resume: " + resumable.size() + " killed runs of --out " + target
                    + " could be resumed (" + resumable.stream().map(p -> p.getFileName().toString()).toList()
                    + "); delete all but the one to resume");
        }
        return new OutputFolder(absolute, resumable.get(0), List.of(), false, false, null, true);
    }

    /**
     * A folder the job writes in place, for jobs that can be resumed after being killed (a sweep): an
     * existing {@code target} is refused unless {@code resume} (continue in it) or {@code overwrite}
     * (delete it now). {@link #abandon} deletes it only if this call created it and it does not hold
     * {@code keepIfPresent} (results worth resuming from).
     */
    static OutputFolder inPlace(Path target, boolean overwrite, boolean resume, String keepIfPresent) {
        Path absolute = realLocation(target);
        boolean exists = Files.exists(absolute);
        if (exists && !Files.isDirectory(absolute)) {
            throw new InvalidInputException("--out " + target + " is a file, not a folder");
        }
        if (exists && !overwrite && !resume) {
            throw new InvalidInputException("--out " + target
                    + " already exists; choose another folder, pass --resume to continue it or --overwrite to replace it");
        }
        List<Path> created = new ArrayList<>();
        try {
            if (exists && overwrite) {
                FolderTree.delete(absolute);
            }
            for (Path folder = absolute; folder != null && !Files.exists(folder); folder = folder.getParent()) {
                created.add(folder);
            }
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create the folder: " + e.getMessage());
        }
        return new OutputFolder(absolute, absolute, created, overwrite, true, keepIfPresent, false);
    }

    /**
     * Where {@code target} really is. The rule for links: {@code --out} itself must not be a symbolic link
     * (to a folder, a file or nothing), since replacing, resuming or deleting it would act on whatever it
     * points to, possibly outside the folders the user meant; folders above it may be links (a home or
     * scratch folder often is one) and are resolved here, so the staging folder and the rename that
     * commits it happen in the real parent folder.
     */
    private static Path realLocation(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(absolute)) {
            String points;
            try {
                points = String.valueOf(Files.readSymbolicLink(absolute));
            } catch (IOException e) {
                points = "an unreadable target";
            }
            throw new InvalidInputException("--out " + target + " is a symbolic link (to " + points
                    + "); name the folder itself");
        }
        Path existing = absolute;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot resolve the folder: " + e.getMessage());
        }
    }

    /** Where the job writes its results until {@link #commit}. */
    Path staging() {
        return staging;
    }

    Path target() {
        return target;
    }

    /** Moves the staging folder to the target, replacing an existing one only when overwriting. */
    void commit() {
        if (inPlace) {
            return;
        }
        try {
            if (overwrite && Files.exists(target)) {
                FolderTree.delete(target);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staging + " to " + target, e);
        }
    }

    /** Deletes the staging folder and any parent folder {@link #prepare} created; keeps a resumed one. */
    void abandon() {
        if (resumed) {
            return;
        }
        if (inPlace && (createdParents.isEmpty() || Files.exists(target.resolve(keepIfPresent)))) {
            return;
        }
        try {
            FolderTree.delete(staging);
            for (Path parent : createdParents) {
                Files.deleteIfExists(parent);
            }
        } catch (DirectoryNotEmptyException e) {
            // Another process wrote into a parent we created: it is theirs now.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + staging, e);
        }
    }
}
