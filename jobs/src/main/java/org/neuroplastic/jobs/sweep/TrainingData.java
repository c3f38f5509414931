package org.neuroplastic.jobs.sweep;

import org.apache.spark.sql.Encoders;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.data.DatasetSchema;
import org.neuroplastic.jobs.data.LoadedDataset;
import org.neuroplastic.jobs.data.Minibatches.LabeledFeatures;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;

/**
 * A whole data set in plain arrays, for trials trained inside one task: encoded once on the driver,
 * broadcast as bytes, decoded by each trial. Features are float32 row-major; labels are already in the
 * network's output layout (one-hot for classification, the value for regression).
 */
final class TrainingData {

    final int features;
    final int outputs;
    final boolean classification;
    final int trainRows;
    final float[] trainX;
    final float[] trainY;
    final int testRows;
    final float[] testX;
    final float[] testY;

    private TrainingData(int features, int outputs, boolean classification, int trainRows, float[] trainX,
                         float[] trainY, int testRows, float[] testX, float[] testY) {
        this.features = features;
        this.outputs = outputs;
        this.classification = classification;
        this.trainRows = trainRows;
        this.trainX = trainX;
        this.trainY = trainY;
        this.testRows = testRows;
        this.testX = testX;
        this.testY = testY;
    }

    /** Collects both splits to the driver, in row_id order, and encodes them. */
    static byte[] encode(LoadedDataset data) {
        List<LabeledFeatures> train = collect(data, true);
        List<LabeledFeatures> test = collect(data, false);
        int outputs = data.target().outputs();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(data.features());
            out.writeInt(outputs);
            out.writeBoolean(data.target().isClassification());
            for (List<LabeledFeatures> split : List.of(train, test)) {
                out.writeInt(split.size());
                for (LabeledFeatures example : split) {
                    for (float value : example.getFeatures()) {
                        out.writeFloat(value);
                    }
                    out.writeDouble(example.getLabel());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TrainingData decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int features = in.readInt();
            int outputs = in.readInt();
            boolean classification = in.readBoolean();
            int trainRows = in.readInt();
            float[] trainX = new float[trainRows * features];
            float[] trainY = new float[trainRows * outputs];
            read(in, trainRows, features, outputs, classification, trainX, trainY);
            int testRows = in.readInt();
            float[] testX = new float[testRows * features];
            float[] testY = new float[testRows * outputs];
            read(in, testRows, features, outputs, classification, testX, testY);
            return new TrainingData(features, outputs, classification, trainRows, trainX, trainY, testRows, testX,
                    testY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The training split in minibatches of at most {@code batchSize}, in an order shuffled by {@code random}. */
    List<DataSet> trainBatches(int batchSize, SplittableRandom random) {
        int[] order = new int[trainRows];
        for (int i = 0; i < trainRows; i++) {
            order[i] = i;
        }
        for (int i = trainRows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<DataSet> batches = new ArrayList<>();
        for (int start = 0; start < trainRows; start += batchSize) {
            int n = Math.min(batchSize, trainRows - start);
            float[] x = new float[n * features];
            float[] y = new float[n * outputs];
            for (int i = 0; i < n; i++) {
                System.arraycopy(trainX, order[start + i] * features, x, i * features, features);
                System.arraycopy(trainY, order[start + i] * outputs, y, i * outputs, outputs);
            }
            batches.add(new DataSet(Nd4j.create(x, new long[] {n, features}, 'c'), Nd4j.create(y, new long[] {n, outputs}, 'c')));
        }
        return batches;
    }

    /** The test split in minibatches of at most {@code batchSize}, in row order. */
    List<DataSet> testBatches(int batchSize) {
        List<DataSet> batches = new ArrayList<>();
        for (int start = 0; start < testRows; start += batchSize) {
            int n = Math.min(batchSize, testRows - start);
            float[] x = new float[n * features];
            float[] y = new float[n * outputs];
            System.arraycopy(testX, start * features, x, 0, n * features);
            System.arraycopy(testY, start * outputs, y, 0, n * outputs);
            batches.add(new DataSet(Nd4j.create(x, new long[] {n, features}, 'c'), Nd4j.create(y, new long[] {n, outputs}, 'c')));
        }
        return batches;
    }

    private static void read(DataInputStream in, int rows, int features, int outputs, boolean classification,
                             float[] x, float[] y) throws IOException {
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                x[r * features + f] = in.readFloat();
            }
            double label = in.readDouble();
            if (classification) {
                y[r * outputs + (int) label] = 1f;
            } else {
                y[r] = (float) label;
            }
        }
    }

    private static List<LabeledFeatures> collect(LoadedDataset data, boolean train) {
        List<LabeledFeatures> rows = new ArrayList<>((train ? data.train() : data.test())
                .select(col(DatasetSchema.ROW_ID).as("rowId"), col(DatasetSchema.FEATURES).as("features"),
                        col(DatasetSchema.LABEL).as("label"))
                .as(Encoders.bean(LabeledFeatures.class))
                .collectAsList());
        rows.sort(Comparator.comparingLong(LabeledFeatures::getRowId));
        return rows;
    }
}
