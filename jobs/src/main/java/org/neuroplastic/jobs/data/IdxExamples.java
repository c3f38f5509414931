package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.Target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an IDX image file and its label file, the format of MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/): a big-endian header (magic 0x00000803 for unsigned-byte
 * images with 3 dimensions, 0x00000801 for labels with 1) followed by one byte per pixel or label.
 * Pixels are scaled to [0, 1]. The whole file is checked against its header even when only its first
 * examples are used.
 */
final class IdxExamples {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxExamples() {
    }

    /** The first {@code limit} examples (all when the files hold fewer). */
    static List<Example> read(Path imagesFile, Path labelsFile, Target target, int limit) {
        ByteBuffer images = ByteBuffer.wrap(readAll(imagesFile));
        ByteBuffer labels = ByteBuffer.wrap(readAll(labelsFile));
        requireHeader(imagesFile, images, 16, IMAGES_MAGIC, "images");
        requireHeader(labelsFile, labels, 8, LABELS_MAGIC, "labels");
        int count = images.getInt(4);
        int rows = images.getInt(8);
        int cols = images.getInt(12);
        int labelCount = labels.getInt(4);
        if (count < 0 || rows < 1 || cols < 1) {
            throw new InvalidInputException(imagesFile + ": invalid IDX header: " + count + " images of " + rows + "x"
                    + cols);
        }
        long pixels = (long) rows * cols;
        requireSize(imagesFile, images.capacity(), 16 + count * pixels, count + " images of " + rows + "x" + cols);
        requireSize(labelsFile, labels.capacity(), 8L + labelCount, labelCount + " labels");
        if (labelCount != count) {
            throw new InvalidInputException(labelsFile + ": holds " + labelCount + " labels but " + imagesFile + " holds "
                    + count + " images");
        }
        int used = Math.min(count, limit);
        List<Example> examples = new ArrayList<>(used);
        byte[] array = images.array();
        for (int i = 0; i < used; i++) {
            float[] features = new float[(int) pixels];
            int offset = (int) (16 + i * pixels);
            for (int p = 0; p < pixels; p++) {
                features[p] = (array[offset + p] & 0xFF) / 255f;
            }
            double label = labels.get(8 + i) & 0xFF;
            examples.add(new Example(features, TextSource.label(target, label, labelsFile + ": record " + i)));
        }
        return examples;
    }

    private static void requireHeader(Path file, ByteBuffer bytes, int headerBytes, int magic, String what) {
        if (bytes.capacity() >= 4 && bytes.getInt(0) != magic) {
            throw new InvalidInputException(file + ": not an IDX " + what + " file: expected magic number 0x"
                    + String.format("%08x", magic) + ", found 0x" + String.format("%08x", bytes.getInt(0)));
        }
        if (bytes.capacity() < headerBytes) {
            throw new InvalidInputException(file + ": truncated IDX " + what + " file: expected a " + headerBytes
                    + "-byte header, found " + bytes.capacity() + " bytes");
        }
    }

    private static void requireSize(Path file, long actual, long expected, String promised) {
        if (actual < expected) {
            throw new InvalidInputException(file + ": truncated IDX file: the header promises " + promised + " ("
                    + expected + " bytes), found " + actual + " bytes");
        }
        if (actual > expected) {
            throw new InvalidInputException(file + ": the header promises " + promised + " (" + expected
                    + " bytes), found " + actual + " bytes");
        }
    }

    private static byte[] readAll(Path file) {
        try (InputStream in = TextSource.open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }
}
