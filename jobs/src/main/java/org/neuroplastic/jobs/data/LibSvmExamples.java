package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.config.Target;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads LibSVM text: {@code label index:value index:value ...}, indices 1-based and increasing, absent
 * features 0. Text after {@code #} is a comment.
 */
final class LibSvmExamples {

    private LibSvmExamples() {
    }

    /** The sparse lines of a file, before the feature count is known. */
    record SparseExample(int[] indices, float[] values, double label, String where) {
    }

    static List<SparseExample> read(Storage storage, Location file, Target target) {
        List<SparseExample> examples = new ArrayList<>();
        try (BufferedReader reader = TextSource.reader(storage, file)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                int comment = line.indexOf('#');
                String content = (comment < 0 ? line : line.substring(0, comment)).trim();
                if (!content.isEmpty()) {
                    examples.add(example(file + ":" + lineNumber, content, target));
                }
            }
        } catch (IOException e) {
            throw TextSource.unreadable(file, e);
        }
        return examples;
    }

    /** The highest feature index used in {@code examples}. */
    static int maxIndex(List<SparseExample> examples) {
        int max = 0;
        for (SparseExample example : examples) {
            int n = example.indices().length;
            max = Math.max(max, n == 0 ? 0 : example.indices()[n - 1]);
        }
        return max;
    }

    static List<Example> densify(List<SparseExample> sparse, int features, String featuresKey) {
        List<Example> examples = new ArrayList<>(sparse.size());
        for (SparseExample example : sparse) {
            float[] dense = new float[features];
            int[] indices = example.indices();
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] > features) {
                    throw new InvalidInputException(example.where() + ": feature index " + indices[i]
                            + " is beyond the " + features + " features of " + featuresKey);
                }
                dense[indices[i] - 1] = example.values()[i];
            }
            examples.add(new Example(dense, example.label()));
        }
        return examples;
    }

    private static SparseExample example(String where, String content, Target target) {
        String[] tokens = content.split("\\s+");
        double label;
        try {
            label = Double.parseDouble(tokens[0]);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": the label must be a number, found '" + tokens[0] + "'");
        }
        TextSource.label(target, label, where);
        int[] indices = new int[tokens.length - 1];
        float[] values = new float[tokens.length - 1];
        int previous = 0;
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i];
            int colon = token.indexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException(where + ": expected index:value, found '" + token + "'");
            }
            int index;
            double value;
            try {
                index = Integer.parseInt(token.substring(0, colon));
                value = Double.parseDouble(token.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where + ": expected index:value with an integer index and a number, found '"
                        + token + "'");
            }
            if (index < 1) {
                throw new InvalidInputException(where + ": feature indices are 1-based, found " + index);
            }
            if (index > DataSource.MAX_FEATURES) {
                throw new InvalidInputException(where + ": feature index " + index + " is beyond the "
                        + DataSource.MAX_FEATURES + " features a row may have");
            }
            if (index <= previous) {
                throw new InvalidInputException(where + ": feature indices must increase, found " + index + " after "
                        + previous);
            }
            if (!Float.isFinite((float) value)) {
                throw new InvalidInputException(where + ": feature " + index + " must be a finite number, found "
                        + token.substring(colon + 1));
            }
            indices[i - 1] = index;
            values[i - 1] = (float) value;
            previous = index;
        }
        return new SparseExample(indices, values, label, where);
    }
}
