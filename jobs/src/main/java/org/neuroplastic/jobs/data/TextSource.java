package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.zip.GZIPInputStream;

/** Opening data files (gzip-compressed when named *.gz) and the checks every text format shares. */
final class TextSource {

    private TextSource() {
    }

    /** The file's bytes from its start, decompressed when it is gzip. */
    static InputStream open(Storage storage, Location file) throws IOException {
        InputStream in = new BufferedInputStream(storage.open(file), 1 << 16);
        try {
            return isGzip(file) ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    static boolean isGzip(Location file) {
        return file.name().endsWith(".gz");
    }

    /** The one-line answer to a read that failed part way. */
    static String unreadable(IOException e) {
        return e instanceof CharacterCodingException ? "not UTF-8 text (a binary file?)" : "cannot read: " + e.getMessage();
    }

    /** Checks a label against the target. */
    static double label(Target target, double label) {
        if (!Double.isFinite(label)) {
            throw new BadRecord("the label is " + label + ", expected a finite number");
        }
        if (target.isClassification() && (label != Math.rint(label) || label < 0 || label >= target.classes())) {
            throw new BadRecord("the label must be a class index in [0, " + target.classes() + "), found " + format(label));
        }
        return label;
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
