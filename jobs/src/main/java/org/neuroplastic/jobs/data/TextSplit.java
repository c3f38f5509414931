package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.storage.Location;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte range of a text file that one task reads: the lines that begin in {@code (start, end]}, and the
 * first line too when {@code start} is 0, Hadoop's {@code LineRecordReader} rule, under which every line of
 * the file belongs to exactly one range. A gzip file cannot be entered in the middle: it is one range.
 *
 * @param index the range's position in the file, 0 for the first
 */
record TextSplit(Location file, int index, long start, long end) implements Serializable {

    /** Bytes of a plain text file one task reads (Hadoop's default block size). */
    static final long BYTES = 128L << 20;

    TextSplit {
        if (index < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("invalid range " + index + " [" + start + ", " + end + "] of " + file);
        }
    }

    /** The ranges of a file of {@code size} bytes, at most {@code bytes} each; one for a gzip file. */
    static List<TextSplit> of(Location file, long size, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be >= 1, found " + bytes);
        }
        List<TextSplit> splits = new ArrayList<>();
        if (TextSource.isGzip(file) || size <= bytes) {
            splits.add(new TextSplit(file, 0, 0, Long.MAX_VALUE));
            return splits;
        }
        for (long start = 0; start < size; start += bytes) {
            splits.add(new TextSplit(file, splits.size(), start, Math.min(size, start + bytes)));
        }
        return splits;
    }
}
