package org.neuroplastic.bench;

import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The averaging benchmark's data: Fashion-MNIST's training images from the Debian package
 * dataset-fashion-mnist (IDX files), or synthetic data of the same shape when it is not installed.
 */
final class FashionMnistMinibatches {

    private static final String FASHION_MNIST = "file:///usr/share/datasets/fashion-mnist";
    private static final Storage STORAGE = Storage.of(new Configuration());

    private FashionMnistMinibatches() {
    }

    static boolean installed() throws IOException {
        return STORAGE.exists(fashionMnist("train-images-idx3-ubyte.gz"));
    }

    /** The 60,000 training images in minibatches of {@code batch}, in file order. */
    static List<DataSet> training(int batch) throws IOException {
        float[][] images = images(fashionMnist("train-images-idx3-ubyte.gz"));
        int[] labels = labels(fashionMnist("train-labels-idx1-ubyte.gz"));
        return minibatches(images, labels, batch);
    }

    /** Random images of the same shape whose label shows in every tenth pixel, for machines without the package. */
    static List<DataSet> synthetic(int examples, int batch) {
        Random random = new Random(1);
        float[][] images = new float[examples][784];
        int[] labels = new int[examples];
        for (int i = 0; i < examples; i++) {
            labels[i] = random.nextInt(10);
            for (int j = 0; j < 784; j++) {
                images[i][j] = (float) Math.max(0, random.nextGaussian() * 0.3 + (j % 10 == labels[i] ? 0.5 : 0));
            }
        }
        return minibatches(images, labels, batch);
    }

    private static List<DataSet> minibatches(float[][] images, int[] labels, int batch) {
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.length; from += batch) {
            int size = Math.min(batch, images.length - from);
            float[][] x = Arrays.copyOfRange(images, from, from + size);
            float[][] y = new float[size][10];
            for (int i = 0; i < size; i++) {
                y[i][labels[from + i]] = 1f;
            }
            batches.add(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
        }
        return batches;
    }

    private static Location fashionMnist(String file) {
        return STORAGE.locate(FASHION_MNIST).resolve(file);
    }

    private static float[][] images(Location file) throws IOException {
        try (DataInputStream in = idx(file, 2051)) {
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            float[][] images = new float[count][pixels];
            byte[] row = new byte[pixels];
            for (int i = 0; i < count; i++) {
                in.readFully(row);
                for (int j = 0; j < pixels; j++) {
                    images[i][j] = (row[j] & 0xff) / 255f;
                }
            }
            return images;
        }
    }

    private static int[] labels(Location file) throws IOException {
        try (DataInputStream in = idx(file, 2049)) {
            int[] labels = new int[in.readInt()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        }
    }

    private static DataInputStream idx(Location file, int magic) throws IOException {
        InputStream raw = new GZIPInputStream(STORAGE.open(file));
        DataInputStream in = new DataInputStream(raw);
        int found = in.readInt();
        if (found != magic) {
            in.close();
            throw new IOException(file + ": IDX magic number must be " + magic + ", found " + found);
        }
        return in;
    }
}
