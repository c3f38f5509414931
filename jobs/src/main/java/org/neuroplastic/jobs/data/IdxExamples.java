package org.neuroplastic.jobs.data;

import org.neuroplastic.jobs.config.DataSource;
import org.neuroplastic.jobs.config.InvalidInputException;
import org.neuroplastic.jobs.config.Target;
import org.neuroplastic.jobs.storage.Location;
import org.neuroplastic.jobs.storage.Storage;
import scala.Tuple2;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads an IDX image file and its label file, the format of MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/): a big-endian header (magic 0x00000803 for unsigned-byte
 * images with 3 dimensions, 0x00000801 for labels with 1) followed by one byte per pixel or label.
 * Pixels are scaled to [0, 1].
 * <p>
 * Both files are streamed, image by image, and nothing is sized from the header alone: a header may
 * promise a billion images in a file of a few bytes, and a gzip file's real length is only known once
 * it has been read. A raw file's length is checked against its header before any image is read. The
 * pair is read by one task (a gzip stream can only be read from its start): once to check the whole of
 * both files ({@link #scan}), then again for its first {@code limit} examples ({@link #next}).
 */
final class IdxExamples implements Closeable {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    /** An image file and its label file, as the task that reads them is given them. */
    record Pair(Location images, Location labels, Target target, int limit) implements Serializable {
    }

    /** What checking a pair found: the examples kept, their pixels, or the one-line reason it is bad. */
    record Scan(int kept, int pixels, String error) implements Serializable {
    }

    private final Pair pair;
    private final InputStream imageStream;
    private final InputStream labelStream;
    private final DataInputStream images;
    private final DataInputStream labels;
    private final int count;
    private final byte[] image;
    private final long imageBytes;
    private final long labelBytes;
    private final String promisedImages;
    private int read;

    private IdxExamples(Pair pair, InputStream imageStream, InputStream labelStream, Storage storage) throws IOException {
        this.pair = pair;
        this.imageStream = imageStream;
        this.labelStream = labelStream;
        this.images = new DataInputStream(imageStream);
        this.labels = new DataInputStream(labelStream);
        Location imagesFile = pair.images();
        Location labelsFile = pair.labels();
        ByteBuffer imageHeader = header(imagesFile, images, IMAGES_HEADER, IMAGES_MAGIC, "images");
        ByteBuffer labelHeader = header(labelsFile, labels, LABELS_HEADER, LABELS_MAGIC, "labels");
        count = imageHeader.getInt(4);
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
        promisedImages = count + " images of " + rows + "x" + cols;
        imageBytes = IMAGES_HEADER + count * pixels;
        labelBytes = LABELS_HEADER + (long) labelCount;
        requireRawSize(storage, imagesFile, imageBytes, promisedImages);
        requireRawSize(storage, labelsFile, labelBytes, labelCount + " labels");
        if (labelCount != count) {
            throw new InvalidInputException(labelsFile + ": holds " + labelCount + " labels but " + imagesFile
                    + " holds " + count + " images");
        }
        image = new byte[(int) pixels];
    }

    /** Opens the pair and checks both headers and, for raw files, both sizes. */
    static IdxExamples open(Storage storage, Pair pair) throws IOException {
        InputStream imageStream = stream(storage, pair.images());
        InputStream labelStream = null;
        try {
            labelStream = stream(storage, pair.labels());
            return new IdxExamples(pair, imageStream, labelStream, storage);
        } catch (IOException | RuntimeException e) {
            imageStream.close();
            if (labelStream != null) {
                labelStream.close();
            }
            throw e;
        }
    }

    private static InputStream stream(Storage storage, Location file) {
        try {
            return TextSource.open(storage, file);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The pair's first {@code limit} examples numbered from 0, read as Spark asks for them. */
    static Iterator<Tuple2<Long, Example>> examples(Storage storage, Pair pair) throws IOException {
        IdxExamples examples = open(storage, pair);
        if (examples.kept() == 0) {
            examples.close();
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return examples.read < examples.kept();
            }

            @Override
            public Tuple2<Long, Example> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    Tuple2<Long, Example> next = new Tuple2<>((long) examples.read, examples.next(true));
                    if (!hasNext()) {
                        examples.close();
                    }
                    return next;
                } catch (IOException e) {
                    throw new UncheckedIOException(pair.images() + " changed after it was checked", e);
                }
            }
        };
    }

    /** Reads and checks both files to their ends, without holding them. */
    static Scan scan(Storage storage, Pair pair) {
        try (IdxExamples examples = open(storage, pair)) {
            while (examples.read < examples.count) {
                examples.next(false);
            }
            examples.requireEnd();
            return new Scan(Math.min(examples.count, pair.limit()), examples.image.length, null);
        } catch (InvalidInputException e) {
            return new Scan(0, 0, e.getMessage());
        } catch (IOException e) {
            return new Scan(0, 0, pair.images() + " or " + pair.labels() + ": cannot read: " + e.getMessage());
        }
    }

    /** Examples the second pass keeps: the first {@code limit}. */
    int kept() {
        return Math.min(count, pair.limit());
    }

    /** Reads the next image and label; returns the example when {@code keep}, else null. */
    Example next(boolean keep) throws IOException {
        int i = read++;
        long offset = IMAGES_HEADER + i * (long) image.length;
        int got = reading(pair.images(), () -> images.readNBytes(image, 0, image.length));
        if (got < image.length) {
            throw truncated(pair.images(), offset + got, imageBytes, promisedImages);
        }
        int label = reading(pair.labels(), labels::read);
        if (label < 0) {
            throw truncated(pair.labels(), LABELS_HEADER + (long) i, labelBytes, count + " labels");
        }
        double value;
        try {
            value = TextSource.label(pair.target(), label);
        } catch (BadRecord e) {
            throw e.at(pair.labels() + ": record " + i);
        }
        if (!keep) {
            return null;
        }
        float[] features = new float[image.length];
        for (int p = 0; p < image.length; p++) {
            features[p] = (image[p] & 0xFF) / 255f;
        }
        return new Example(features, value);
    }

    @Override
    public void close() throws IOException {
        try {
            imageStream.close();
        } finally {
            labelStream.close();
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

    /** After the promised records: nothing more, counting (not holding) whatever follows. */
    private void requireEnd() throws IOException {
        long extraImages = reading(pair.images(), () -> images.transferTo(OutputStream.nullOutputStream()));
        if (extraImages > 0) {
            throw tooLong(pair.images(), imageBytes + extraImages, imageBytes, promisedImages);
        }
        long extraLabels = reading(pair.labels(), () -> labels.transferTo(OutputStream.nullOutputStream()));
        if (extraLabels > 0) {
            throw tooLong(pair.labels(), labelBytes + extraLabels, labelBytes, count + " labels");
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
