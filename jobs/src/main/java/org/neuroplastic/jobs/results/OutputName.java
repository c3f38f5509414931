package org.neuroplastic.jobs.results;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;

/**
 * A name the jobs derive from configuration or data (a run id, a trial id) and then use as a file or
 * folder name under {@code --out}, directly or as a Parquet partition value. Such a name must stay one
 * plain path segment, so that nothing a job writes can land outside its output folder.
 */
public final class OutputName {

    /** File names longer than this fail on common file systems (ext4, APFS, NTFS). */
    static final int MAX_LENGTH = 200;

    private OutputName() {
    }

    /** Returns {@code name} if it can name a file inside a folder; {@code what} names it in the message. */
    public static String require(String what, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new InvalidInputException(what + " '" + name + "' cannot name a file inside the output folder: " + problem);
        }
        return name;
    }

    /** {@code folder.resolve(name)}, once {@code name} is known to stay inside {@code folder}. */
    public static Location resolve(Location folder, String what, String name) {
        Location resolved = folder.resolve(require(what, name));
        if (!folder.equals(resolved.parent())) {
            throw new InvalidInputException(what + " '" + name + "' cannot name a file inside the output folder: "
                    + "it resolves to " + resolved.uri());
        }
        return resolved;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it is " + name;
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "it holds a path separator";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "it holds a control character";
        }
        if (name.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        return null;
    }
}
