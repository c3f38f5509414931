package org.neuroplastic.jobs.sweep;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A whole data set in plain arrays, for trials trained inside one task: written once by the executors
 * beside the sweep's results ({@link TrainingDataFiles}), read once per executor JVM
 * ({@link TrainingDataCache}) and shared, read-only, by every trial there. Features are float32 row-major; labels are already in the
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
    /** The validation split ({@code data.validation_fraction}); 0 rows without one. */
    final int validationRows;
    final float[] validationX;
    final float[] validationY;

    TrainingData(int features, int outputs, boolean classification, int trainRows, float[] trainX,
                 float[] trainY, int testRows, float[] testX, float[] testY, int validationRows, float[] validationX,
                 float[] validationY) {
        this.features = features;
        this.outputs = outputs;
        this.classification = classification;
        this.trainRows = trainRows;
        this.trainX = trainX;
        this.trainY = trainY;
        this.testRows = testRows;
        this.testX = testX;
        this.testY = testY;
        this.validationRows = validationRows;
        this.validationX = validationX;
        this.validationY = validationY;
    }

    /**
     * Reads a data set that {@link TrainingDataFiles} wrote: each split's part files in name order, which is
     * row_id order.
     */
    static TrainingData read(Storage storage, TrainingDataFiles.Ref ref) throws IOException {
        Location folder = storage.locate(ref.folder());
        Split train = readSplit(storage, folder.resolve(TrainingDataFiles.TRAIN), ref);
        Split test = readSplit(storage, folder.resolve(TrainingDataFiles.TEST), ref);
        Location validationFolder = folder.resolve(TrainingDataFiles.VALIDATION);
        Split validation = storage.exists(validationFolder) ? readSplit(storage, validationFolder, ref)
                : new Split(0, new float[0], new float[0]);
        return new TrainingData(ref.features(), ref.outputs(), ref.classification(), train.rows, train.x, train.y,
                test.rows, test.x, test.y, validation.rows, validation.x, validation.y);
    }

    private record Split(int rows, float[] x, float[] y) {
    }

    private static Split readSplit(Storage storage, Location folder, TrainingDataFiles.Ref ref) throws IOException {
        int features = ref.features();
        int outputs = ref.outputs();
        long rowBytes = TrainingDataFiles.rowBytes(features);
        List<Location> parts = new ArrayList<>();
        long bytes = 0;
        for (Location part : storage.list(folder)) {
            if (part.name().startsWith(TrainingDataFiles.PART)) {
                parts.add(part);
                bytes += storage.size(part);
            }
        }
        if (bytes % rowBytes != 0 || bytes / rowBytes > Integer.MAX_VALUE / Math.max(features, outputs)) {
            throw new IOException(folder + " holds " + bytes + " bytes, not whole rows of " + rowBytes
                    + " bytes or more than an array holds");
        }
        int rows = (int) (bytes / rowBytes);
        float[] x = new float[rows * features];
        float[] y = new float[rows * outputs];
        int row = 0;
        for (Location part : parts) {
            ByteBuffer buffer = ByteBuffer.wrap(storage.readBytes(part));
            while (buffer.hasRemaining()) {
                for (int f = 0; f < features; f++) {
                    x[row * features + f] = buffer.getFloat();
                }
                double label = buffer.getDouble();
                if (ref.classification()) {
                    y[row * outputs + (int) label] = 1f;
                } else {
                    y[row] = (float) label;
                }
                row++;
            }
        }
        return new Split(rows, x, y);
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
        return inOrder(testRows, testX, testY, batchSize);
    }

    /** The validation split in minibatches of at most {@code batchSize}, in row order; none without one. */
    List<DataSet> validationBatches(int batchSize) {
        return inOrder(validationRows, validationX, validationY, batchSize);
    }

    private List<DataSet> inOrder(int rows, float[] splitX, float[] splitY, int batchSize) {
        List<DataSet> batches = new ArrayList<>();
        for (int start = 0; start < rows; start += batchSize) {
            int n = Math.min(batchSize, rows - start);
            float[] x = new float[n * features];
            float[] y = new float[n * outputs];
            System.arraycopy(splitX, start * features, x, 0, n * features);
            System.arraycopy(splitY, start * outputs, y, 0, n * outputs);
            batches.add(new DataSet(Nd4j.create(x, new long[] {n, features}, 'c'), Nd4j.create(y, new long[] {n, outputs}, 'c')));
        }
        return batches;
    }
}
