package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import org.neuroplastic.jobs.config.Target;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an IDX image file and its label file, the format of MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/): a big-endian header (magic 0x00000803 for unsigned-byte
 * images with 3 dimensions, 0x00000801 for labels with 1) followed by one byte per pixel or label.
 * Pixels are scaled to [0, 1].
 * <p>
 * Both files are streamed, image by image, and nothing is sized from the header alone: a header may
 * promise a billion images in a file of a few bytes, and a gzip file's real length is only known once
 * it has been read. A raw file's length is checked against its header before any image is read. The
 * whole file is read and checked even when only its first examples are kept.
 */
final class IdxExamples {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private IdxExamples() {
    }

    /** The first {@code limit} examples (all when the files hold fewer). */
    static List<Example> read(Storage storage, Location imagesFile, Location labelsFile, Target target, int limit) {
        try (InputStream imageStream = TextSource.open(storage, imagesFile);
             InputStream labelStream = TextSource.open(storage, labelsFile)) {
            DataInputStream images = new DataInputStream(imageStream);
            DataInputStream labels = new DataInputStream(labelStream);
            ByteBuffer imageHeader = header(imagesFile, images, IMAGES_HEADER, IMAGES_MAGIC, "images");
            ByteBuffer labelHeader = header(labelsFile, labels, LABELS_HEADER, LABELS_MAGIC, "labels");
            int count = imageHeader.getInt(4);
            int rows = imageHeader.getInt(8);
            int cols = imageHeader.getInt(12);
            int labelCount = labelHeader.getInt(4);
            if (count < 0 || rows < 1 || cols < 1 || labelCount < 0) {
                throw new InvalidInputException((labelCount < 0 ? labelsFile : imagesFile) + ": invalid IDX header: "
                        + count + " images of " + rows + "x" + cols + ", " + labelCount + " labels");
            }
            long pixels = (long) rows * cols;
            if (pixels > DataSource.MAX_FEATURES) {
                throw new InvalidInputException(imagesFile + ": invalid IDX header: images of " + rows + "x" + cols
                        + " have more than the " + DataSource.MAX_FEATURES + " pixels an example may have");
            }
            String promisedImages = count + " images of " + rows + "x" + cols;
            long imageBytes = IMAGES_HEADER + count * pixels;
            long labelBytes = LABELS_HEADER + (long) labelCount;
            requireRawSize(storage, imagesFile, imageBytes, promisedImages);
            requireRawSize(storage, labelsFile, labelBytes, labelCount + " labels");
            if (labelCount != count) {
                throw new InvalidInputException(labelsFile + ": holds " + labelCount + " labels but " + imagesFile
                        + " holds " + count + " images");
            }
            List<Example> examples = new ArrayList<>();
            byte[] image = new byte[(int) pixels];
            for (int i = 0; i < count; i++) {
                readFully(imagesFile, images, image, IMAGES_HEADER + i * pixels, imageBytes, promisedImages);
                int label = reading(labelsFile, labels::read);
                if (label < 0) {
                    throw truncated(labelsFile, LABELS_HEADER + (long) i, labelBytes, labelCount + " labels");
                }
                double value = TextSource.label(target, label, labelsFile + ": record " + i);
                if (i < limit) {
                    float[] features = new float[image.length];
                    for (int p = 0; p < image.length; p++) {
                        features[p] = (image[p] & 0xFF) / 255f;
                    }
                    examples.add(new Example(features, value));
                }
            }
            requireEnd(imagesFile, images, imageBytes, promisedImages);
            requireEnd(labelsFile, labels, labelBytes, labelCount + " labels");
            return examples;
        } catch (IOException e) {
            throw new InvalidInputException(imagesFile + " or " + labelsFile + ": cannot read: " + e.getMessage());
        }
    }

    private interface Read<T> {
        T from() throws IOException;
    }

    /** A gzip file cut short ends in an EOFException rather than at a clean end of data. */
    private static <T> T reading(Location file, Read<T> read) throws IOException {
        try {
            return read.from();
        } catch (EOFException e) {
            throw new InvalidInputException(file + ": truncated gzip file: " + e.getMessage());
        }
    }

    /** Reads and checks a header: the magic number (type and dimension count), then its length. */
    private static ByteBuffer header(Location file, DataInputStream in, int headerBytes, int magic, String what)
            throws IOException {
        byte[] header = new byte[headerBytes];
        int read = reading(file, () -> in.readNBytes(header, 0, headerBytes));
        ByteBuffer bytes = ByteBuffer.wrap(header);
        if (read >= 4 && bytes.getInt(0) != magic) {
            int found = bytes.getInt(0);
            if ((found >>> 8) == UNSIGNED_BYTE) {
                throw new InvalidInputException(file + ": an IDX " + what + " file must have " + (magic & 0xFF)
                        + " dimension" + ((magic & 0xFF) == 1 ? "" : "s") + ", found " + (found & 0xFF)
                        + " (magic number 0x" + String.format("%08x", found) + ")");
            }
            throw new InvalidInputException(file + ": not an IDX " + what + " file: expected magic number 0x"
                    + String.format("%08x", magic) + ", found 0x" + String.format("%08x", found));
        }
        if (read < headerBytes) {
            throw new InvalidInputException(file + ": truncated IDX " + what + " file: expected a " + headerBytes
                    + "-byte header, found " + read + " bytes");
        }
        return bytes;
    }

    /** A raw file's size is known before reading: check it against the header first. */
    private static void requireRawSize(Storage storage, Location file, long expected, String promised) throws IOException {
        if (TextSource.isGzip(file)) {
            return;
        }
        long actual = storage.size(file);
        if (actual < expected) {
            throw truncated(file, actual, expected, promised);
        }
        if (actual > expected) {
            throw tooLong(file, actual, expected, promised);
        }
    }

    private static void readFully(Location file, InputStream in, byte[] buffer, long offset, long expected, String promised)
            throws IOException {
        int read = reading(file, () -> in.readNBytes(buffer, 0, buffer.length));
        if (read < buffer.length) {
            throw truncated(file, offset + read, expected, promised);
        }
    }

    /** After the promised records: nothing more, counting (not holding) whatever follows. */
    private static void requireEnd(Location file, InputStream in, long expected, String promised) throws IOException {
        long extra = reading(file, () -> in.transferTo(OutputStream.nullOutputStream()));
        if (extra > 0) {
            throw tooLong(file, expected + extra, expected, promised);
        }
    }

    private static InvalidInputException truncated(Location file, long actual, long expected, String promised) {
        return new InvalidInputException(file + ": truncated IDX file: the header promises " + promised + " ("
                + expected + " bytes), found " + actual + " bytes");
    }

    private static InvalidInputException tooLong(Location file, long actual, long expected, String promised) {
        return new InvalidInputException(file + ": the header promises " + promised + " (" + expected
                + " bytes), found " + actual + " bytes");
    }
}
