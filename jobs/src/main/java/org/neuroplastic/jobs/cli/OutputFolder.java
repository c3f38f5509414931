package org.neuroplastic.jobs.cli;

import org.neuroplastic.jobs.config.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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

    private OutputFolder(Path target, Path staging, List<Path> createdParents, boolean overwrite, boolean inPlace,
                         String keepIfPresent) {
        this.target = target;
        this.staging = staging;
        this.createdParents = createdParents;
        this.overwrite = overwrite;
        this.inPlace = inPlace;
        this.keepIfPresent = keepIfPresent;
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
            return new OutputFolder(absolute, staging, createdParents, overwrite, false, null);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create the folder: " + e.getMessage());
        }
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
                deleteRecursively(absolute);
            }
            for (Path folder = absolute; folder != null && !Files.exists(folder); folder = folder.getParent()) {
                created.add(folder);
            }
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create the folder: " + e.getMessage());
        }
        return new OutputFolder(absolute, absolute, created, overwrite, true, keepIfPresent);
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
                deleteRecursively(target);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staging + " to " + target, e);
        }
    }

    /** Deletes the staging folder and any parent folder {@link #prepare} created. */
    void abandon() {
        if (inPlace && (createdParents.isEmpty() || Files.exists(target.resolve(keepIfPresent)))) {
            return;
        }
        try {
            deleteRecursively(staging);
            for (Path parent : createdParents) {
                Files.deleteIfExists(parent);
            }
        } catch (DirectoryNotEmptyException e) {
            // Another process wrote into a parent we created: it is theirs now.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + staging, e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
