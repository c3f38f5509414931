package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.config.Target;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Opening data files (gzip-compressed when named *.gz) and the checks every text format shares. */
final class TextSource {

    private TextSource() {
    }

    static InputStream open(Storage storage, Location file) {
        try {
            InputStream in = new BufferedInputStream(storage.open(file), 1 << 16);
            return isGzip(file) ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    static boolean isGzip(Location file) {
        return file.name().endsWith(".gz");
    }

    static BufferedReader reader(Storage storage, Location file) {
        // A strict decoder: bytes that are not UTF-8 (a binary file under a text name) fail instead of reading as U+FFFD.
        return new BufferedReader(new InputStreamReader(open(storage, file), StandardCharsets.UTF_8.newDecoder()), 1 << 16);
    }

    /** The one-line answer to a read that failed part way. */
    static InvalidInputException unreadable(Location file, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new InvalidInputException(file + ": not UTF-8 text (a binary file?)");
        }
        return new InvalidInputException(file + ": cannot read: " + e.getMessage());
    }

    /** Checks a label against the target; {@code where} names the file and line (or record). */
    static double label(Target target, double label, String where) {
        if (!Double.isFinite(label)) {
            throw new InvalidInputException(where + ": the label is " + label + ", expected a finite number");
        }
        if (target.isClassification() && (label != Math.rint(label) || label < 0 || label >= target.classes())) {
            throw new InvalidInputException(where + ": the label must be a class index in [0, " + target.classes()
                    + "), found " + format(label));
        }
        return label;
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
