package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.Location;

import java.util.Arrays;

/**
 * Comma-separated lines under a header line: the named label column, every other column a numeric
 * feature. Fields may be wrapped in double quotes; quoted commas are not supported. The header is read on
 * the driver; the lines are parsed by the tasks that read them ({@link TextExamples}).
 */
final class CsvExamples implements TextExamples.LineFormat {

    private static final long serialVersionUID = 1L;

    private final String[] header;
    private final int labelIndex;
    private final Target target;

    private CsvExamples(String[] header, int labelIndex, Target target) {
        this.header = header;
        this.labelIndex = labelIndex;
        this.target = target;
    }

    /** The format of a file whose first line is {@code line}; fails naming the file when it is no header. */
    static CsvExamples of(Location file, String line, String labelColumn, Target target) {
        String[] header = header(file, line);
        int labelIndex = Arrays.asList(header).indexOf(labelColumn);
        if (labelIndex < 0) {
            throw new InvalidInputException(file + ": no label column '" + labelColumn + "' in the header (columns: "
                    + String.join(", ", header) + ")");
        }
        if (header.length < 2) {
            throw new InvalidInputException(file + ": the header names no feature column besides the label");
        }
        return new CsvExamples(header, labelIndex, target);
    }

    int features() {
        return header.length - 1;
    }

    @Override
    public boolean holdsExample(String line, boolean firstOfFile) {
        return !firstOfFile && !line.isBlank();
    }

    @Override
    public TextExamples.ParsedLine parse(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != header.length) {
            throw new BadRecord("expected " + header.length + " fields as in the header, found " + fields.length);
        }
        float[] features = new float[header.length - 1];
        double label = 0;
        for (int i = 0, f = 0; i < fields.length; i++) {
            double value = number(header[i], unquote(fields[i]));
            if (i == labelIndex) {
                label = TextSource.label(target, value);
            } else {
                if (!Double.isFinite(value) || !Float.isFinite((float) value)) {
                    throw new BadRecord("feature column '" + header[i] + "' must be a finite number, found "
                            + unquote(fields[i]));
                }
                features[f++] = (float) value;
            }
        }
        Example example = new Example(features, label);
        return new TextExamples.ParsedLine() {
            @Override
            public int firstIndexAbove(int limit) {
                return 0;
            }

            @Override
            public int highestIndex() {
                return features.length;
            }

            @Override
            public Example dense(int count) {
                return example;
            }
        };
    }

    private static double number(String column, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new BadRecord("column '" + column + "' must be a number, found '" + text + "'");
        }
    }

    private static String[] header(Location file, String line) {
        if (line == null || line.isBlank()) {
            throw new InvalidInputException(file + ": empty file; expected a header line naming the columns");
        }
        // Spreadsheet programs start UTF-8 files with a byte-order mark, which would become part of the first name.
        String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
        String[] names = Arrays.stream(text.split(",", -1)).map(CsvExamples::unquote).toArray(String[]::new);
        for (String name : names) {
            if (name.isEmpty()) {
                throw new InvalidInputException(file + ":1: the header has an empty column name");
            }
            if (isNumber(name)) {
                throw new InvalidInputException(file + ":1: expected a header line naming the columns, found the number "
                        + name);
            }
        }
        return names;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String unquote(String field) {
        String trimmed = field.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1).trim() : trimmed;
    }
}
