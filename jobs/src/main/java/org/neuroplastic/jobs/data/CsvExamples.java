package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.config.Target;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a comma-separated file with a header line: the named label column, every other column a
 * numeric feature. Fields may be wrapped in double quotes; quoted commas are not supported.
 */
final class CsvExamples {

    private CsvExamples() {
    }

    static List<Example> read(Storage storage, Location file, String labelColumn, Target target) {
        List<Example> examples = new ArrayList<>();
        try (BufferedReader reader = TextSource.reader(storage, file)) {
            String[] header = header(file, reader.readLine());
            int labelIndex = Arrays.asList(header).indexOf(labelColumn);
            if (labelIndex < 0) {
                throw new InvalidInputException(file + ": no label column '" + labelColumn + "' in the header (columns: "
                        + String.join(", ", header) + ")");
            }
            if (header.length < 2) {
                throw new InvalidInputException(file + ": the header names no feature column besides the label");
            }
            int lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                examples.add(example(file, lineNumber, line, header, labelIndex, target));
            }
        } catch (IOException e) {
            throw TextSource.unreadable(file, e);
        }
        return examples;
    }

    private static Example example(Location file, int lineNumber, String line, String[] header, int labelIndex,
                                   Target target) {
        String[] fields = line.split(",", -1);
        String where = file + ":" + lineNumber;
        if (fields.length != header.length) {
            throw new InvalidInputException(where + ": expected " + header.length + " fields as in the header, found "
                    + fields.length);
        }
        float[] features = new float[header.length - 1];
        double label = 0;
        for (int i = 0, f = 0; i < fields.length; i++) {
            double value = number(where, header[i], unquote(fields[i]));
            if (i == labelIndex) {
                label = TextSource.label(target, value, where);
            } else {
                if (!Double.isFinite(value) || !Float.isFinite((float) value)) {
                    throw new InvalidInputException(where + ": feature column '" + header[i]
                            + "' must be a finite number, found " + unquote(fields[i]));
                }
                features[f++] = (float) value;
            }
        }
        return new Example(features, label);
    }

    private static double number(String where, String column, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": column '" + column + "' must be a number, found '" + text + "'");
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
