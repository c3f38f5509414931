package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.Target;

/**
 * LibSVM lines: {@code label index:value index:value ...}, indices 1-based and increasing, absent features
 * 0. Text after {@code #} is a comment. Parsed by the tasks that read them ({@link TextExamples}).
 */
final class LibSvmExamples implements TextExamples.LineFormat {

    private static final long serialVersionUID = 1L;

    private final Target target;

    LibSvmExamples(Target target) {
        this.target = target;
    }

    /** A line's features before the feature count is known. */
    record SparseExample(int[] indices, float[] values, double label) implements TextExamples.ParsedLine {

        @Override
        public int highestIndex() {
            return indices.length == 0 ? 0 : indices[indices.length - 1];
        }

        @Override
        public int firstIndexAbove(int limit) {
            for (int index : indices) {
                if (index > limit) {
                    return index;
                }
            }
            return 0;
        }

        @Override
        public Example dense(int features) {
            float[] dense = new float[features];
            for (int i = 0; i < indices.length; i++) {
                dense[indices[i] - 1] = values[i];
            }
            return new Example(dense, label);
        }
    }

    @Override
    public boolean holdsExample(String line, boolean firstOfFile) {
        return !content(line).isEmpty();
    }

    private static String content(String line) {
        int comment = line.indexOf('#');
        return (comment < 0 ? line : line.substring(0, comment)).trim();
    }

    @Override
    public SparseExample parse(String line) {
        String[] tokens = content(line).split("\\s+");
        double label;
        try {
            label = Double.parseDouble(tokens[0]);
        } catch (NumberFormatException e) {
            throw new BadRecord("the label must be a number, found '" + tokens[0] + "'");
        }
        TextSource.label(target, label);
        int[] indices = new int[tokens.length - 1];
        float[] values = new float[tokens.length - 1];
        int previous = 0;
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i];
            int colon = token.indexOf(':');
            if (colon <= 0) {
                throw new BadRecord("expected index:value, found '" + token + "'");
            }
            int index;
            double value;
            try {
                index = Integer.parseInt(token.substring(0, colon));
                value = Double.parseDouble(token.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new BadRecord("expected index:value with an integer index and a number, found '" + token + "'");
            }
            if (index < 1) {
                throw new BadRecord("feature indices are 1-based, found " + index);
            }
            if (index > DataSource.MAX_FEATURES) {
                throw new BadRecord("feature index " + index + " is beyond the " + DataSource.MAX_FEATURES
                        + " features a row may have");
            }
            if (index <= previous) {
                throw new BadRecord("feature indices must increase, found " + index + " after " + previous);
            }
            if (!Float.isFinite((float) value)) {
                throw new BadRecord("feature " + index + " must be a finite number, found " + token.substring(colon + 1));
            }
            indices[i - 1] = index;
            values[i - 1] = (float) value;
            previous = index;
        }
        return new SparseExample(indices, values, label);
    }
}
