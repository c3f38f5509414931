package org.neuroplastic.jobs.data;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Text files (CSV, LibSVM) read by the executors, one task per {@link TextSplit}, in two passes. The
 * first parses every line and returns, per range, only counts and the first bad line; the driver turns
 * those into line numbers and fails on the first bad line of the file, so a bad file is rejected in one
 * line naming it and the line, and no task ever fails (Spark would log it and retry it). The second pass
 * reads the examples again and numbers them in file order.
 */
final class TextExamples {

    private TextExamples() {
    }

    /** How a format turns lines into examples; parsing throws {@link BadRecord}. */
    interface LineFormat extends Serializable {

        /** Whether the line holds an example rather than nothing (a blank line, a comment, the header). */
        boolean holdsExample(String line, boolean firstOfFile);

        ParsedLine parse(String line);
    }

    /** A parsed line, before the data set's feature count is known. */
    interface ParsedLine {

        /** The highest feature index used, 1-based. */
        int highestIndex();

        /** The first feature index above {@code limit}, or 0. */
        int firstIndexAbove(int limit);

        Example dense(int features);
    }

    /**
     * What one task found in its range: lines read, examples, the highest feature index, the first bad line
     * ({@code errorLine} within the range, -1 for none; {@code namesLine} false for a failure of the file
     * rather than of a line) and the first line using a feature beyond {@code limit}.
     */
    record RangeScan(long lines, long examples, int highestIndex, long errorLine, String error, boolean namesLine,
                     long beyondLine, String beyond) implements Serializable {
    }

    /** A text file after the first pass: its ranges and what each holds. */
    record ScannedFile(Location file, List<TextSplit> splits, List<RangeScan> scans) {

        long examples() {
            return scans.stream().mapToLong(RangeScan::examples).sum();
        }

        int highestIndex() {
            return scans.stream().mapToInt(RangeScan::highestIndex).max().orElse(0);
        }

        /** Fails on the file's first bad line. */
        void requireParsed() {
            long linesBefore = 0;
            for (RangeScan scan : scans) {
                if (scan.error() != null) {
                    throw new InvalidInputException(file + (scan.namesLine() ? ":" + (linesBefore + scan.errorLine() + 1) : "")
                            + ": " + scan.error());
                }
                linesBefore += scan.lines();
            }
        }

        /** Fails on the file's first line that uses a feature beyond the limit scanned for. */
        void requireWithinFeatures() {
            long linesBefore = 0;
            for (RangeScan scan : scans) {
                if (scan.beyond() != null) {
                    throw new InvalidInputException(file + ":" + (linesBefore + scan.beyondLine() + 1) + ": " + scan.beyond());
                }
                linesBefore += scan.lines();
            }
        }

        /**
         * The examples of the file keyed by their 0-based position in it, read again by the executors;
         * {@code features} makes LibSVM's sparse lines dense.
         */
        JavaPairRDD<Long, Example> numbered(JavaSparkContext sc, Broadcast<SerializableConfiguration> hadoop,
                                            LineFormat format, int features) {
            List<Tuple2<TextSplit, Long>> ranges = new ArrayList<>(splits.size());
            long first = 0;
            for (int i = 0; i < splits.size(); i++) {
                ranges.add(new Tuple2<>(splits.get(i), first));
                first += scans.get(i).examples();
            }
            return sc.parallelize(ranges, ranges.size()).flatMapToPair(range ->
                    new RangeExamples(Storage.of(hadoop.value().value()), range._1(), range._2(), format, features));
        }
    }

    /**
     * The first pass over {@code file}, cut into ranges of at most {@code bytes}; {@code limit} (0 for none)
     * is the feature count lines are checked against, named {@code limitKey} in the message.
     */
    static ScannedFile scan(JavaSparkContext sc, Broadcast<SerializableConfiguration> hadoop, Storage storage,
                            Location file, LineFormat format, int limit, String limitKey, long bytes) {
        List<TextSplit> splits;
        try {
            splits = TextSplit.of(file, storage.size(file), bytes);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        List<RangeScan> scans = sc.parallelize(splits, splits.size())
                .map(split -> scan(Storage.of(hadoop.value().value()), split, format, limit, limitKey))
                .collect();
        return new ScannedFile(file, splits, scans);
    }

    /** The first line of {@code file}, read on the driver: a CSV header. */
    static String firstLine(Storage storage, Location file) {
        try (TextLines lines = TextLines.open(storage, new TextSplit(file, 0, 0, Long.MAX_VALUE))) {
            return lines.next();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": " + TextSource.unreadable(e));
        }
    }

    private static RangeScan scan(Storage storage, TextSplit split, LineFormat format, int limit, String limitKey) {
        long examples = 0;
        int highest = 0;
        long beyondLine = -1;
        String beyond = null;
        TextLines lines = null;
        try {
            lines = TextLines.open(storage, split);
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (!format.holdsExample(line, split.start() == 0 && lines.index() == 0)) {
                    continue;
                }
                ParsedLine parsed;
                try {
                    parsed = format.parse(line);
                } catch (BadRecord e) {
                    return new RangeScan(lines.index() + 1, examples, highest, lines.index(), e.getMessage(), true, -1, null);
                }
                examples++;
                highest = Math.max(highest, parsed.highestIndex());
                int above = limit > 0 && beyond == null ? parsed.firstIndexAbove(limit) : 0;
                if (above > 0) {
                    beyondLine = lines.index();
                    beyond = "feature index " + above + " is beyond the " + limit + " features of " + limitKey;
                }
            }
            return new RangeScan(lines.index() + 1, examples, highest, -1, null, false, beyondLine, beyond);
        } catch (IOException e) {
            long at = lines == null ? 0 : lines.index() + 1;
            return new RangeScan(at + 1, examples, highest, at, TextSource.unreadable(e), false, -1, null);
        } finally {
            close(lines);
        }
    }

    private static void close(TextLines lines) {
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The second pass over one range: its examples, numbered on from {@code first}, read as Spark asks. */
    private static final class RangeExamples implements Iterator<Tuple2<Long, Example>> {
        private final TextLines lines;
        private final TextSplit split;
        private final LineFormat format;
        private final int features;
        private long nextNumber;
        private Example next;

        RangeExamples(Storage storage, TextSplit split, long first, LineFormat format, int features) throws IOException {
            this.lines = TextLines.open(storage, split);
            this.split = split;
            this.format = format;
            this.features = features;
            this.nextNumber = first;
            advance();
        }

        private void advance() {
            try {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    if (format.holdsExample(line, split.start() == 0 && lines.index() == 0)) {
                        next = format.parse(line).dense(features);
                        return;
                    }
                }
                next = null;
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(split.file() + " changed after it was checked", e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Tuple2<Long, Example> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Tuple2<Long, Example> numbered = new Tuple2<>(nextNumber++, next);
            advance();
            return numbered;
        }
    }
}
