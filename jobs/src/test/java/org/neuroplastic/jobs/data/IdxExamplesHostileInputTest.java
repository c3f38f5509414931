package org.neuroplastic.jobs.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroplastic.jobs.cli.CommandRun;
import org.neuroplastic.jobs.cli.FolderSnapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken IDX files given to {@code train}: each is answered with exit code 2, one line naming the file
 * and what its header promised, and no output.
 */
class IdxExamplesHostileInputTest {

    @TempDir
    Path dir;

    private static byte[] images(int magic, int count, int rows, int cols, int pixelsWritten) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + pixelsWritten);
        buffer.putInt(magic).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < pixelsWritten; i++) {
            buffer.put((byte) i);
        }
        return buffer.array();
    }

    private static byte[] labels(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
        buffer.putInt(0x00000801).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(compressed)) {
            out.write(bytes);
        }
        return compressed.toByteArray();
    }

    /** Trains on the two files; asserts the rejection naming {@code expected}. */
    private void assertRejected(String imagesName, byte[] imageBytes, String labelsName, byte[] labelBytes,
                                String... expected) throws IOException {
        Path images = Files.write(dir.resolve(imagesName), imageBytes);
        Path labels = Files.write(dir.resolve(labelsName), labelBytes);
        Path config = Files.writeString(dir.resolve("idx.yaml"), """
                data: {format: idx, images: %s, labels: %s, classes: 10, test_fraction: 0.25}
                network: {hidden: [{size: 4}]}
                training: {epochs: 1}
                """.formatted(images, labels));
        FolderSnapshot before = FolderSnapshot.of(dir);
        CommandRun.of("train", "--config", config, "--out", dir.resolve("out"), "--master", "local[2]")
                .assertRejected(before, expected);
    }

    @Test
    void rawImagesFileShorterThanItsHeaderPromises() throws IOException {
        Path images = dir.resolve("images");
        assertRejected("images", images(0x803, 3, 2, 2, 10), "labels", labels(0, 1, 2),
                images + ": truncated IDX file: the header promises 3 images of 2x2 (28 bytes), found 26 bytes");
    }

    @Test
    void gzipImagesFileCutOffInsideTheCompressedStream() throws IOException {
        byte[] whole = gzip(images(0x803, 40, 8, 8, 40 * 64));
        Path images = dir.resolve("images.gz");
        assertRejected("images.gz", Arrays.copyOf(whole, whole.length / 2), "labels", labels(new int[40]),
                images + ": truncated gzip file: Unexpected end of ZLIB input stream");
    }

    @Test
    void gzipLabelsFileWhoseDataEndsEarly() throws IOException {
        Path labels = dir.resolve("labels.gz");
        byte[] threeLabelsPromised = Arrays.copyOf(labels(0, 1, 2), 10);
        assertRejected("images", images(0x803, 3, 2, 2, 12), "labels.gz", gzip(threeLabelsPromised),
                labels + ": truncated IDX file: the header promises 3 labels (11 bytes), found 10 bytes");
    }

    @Test
    void fileWithAnotherMagicNumberIsNotAnIdxFile() throws IOException {
        Path images = dir.resolve("images");
        assertRejected("images", "P5\n2 2\n255\nabcd--------".getBytes(), "labels", labels(0),
                images + ": not an IDX images file: expected magic number 0x00000803, found 0x50350a32");
    }

    @Test
    void imagesFileWithTwoDimensionsInsteadOfThree() throws IOException {
        Path images = dir.resolve("images");
        assertRejected("images", images(0x802, 3, 4, 0, 12), "labels", labels(0, 1, 2),
                images + ": an IDX images file must have 3 dimensions, found 2 (magic number 0x00000802)");
    }

    @Test
    void labelCountDifferentFromImageCount() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        assertRejected("images", images(0x803, 3, 2, 2, 12), "labels", labels(0, 1),
                labels + ": holds 2 labels but " + images + " holds 3 images");
    }

    @Test
    void headerPromisingABillionImagesFailsBeforeAnythingIsAllocated() throws IOException {
        Path images = dir.resolve("images");
        assertRejected("images", images(0x803, 1_000_000_000, 28, 28, 784), "labels", labels(0),
                images + ": truncated IDX file: the header promises 1000000000 images of 28x28 (784000000016 bytes), "
                        + "found 800 bytes");
    }

    @Test
    void gzipHeaderPromisingABillionImagesFailsWhereTheDataEnds() throws IOException {
        Path images = dir.resolve("images.gz");
        int[] labels = new int[1_000_000];
        ByteBuffer labelFile = ByteBuffer.allocate(8).putInt(0x801).putInt(1_000_000_000);
        byte[] labelBytes = Arrays.copyOf(labelFile.array(), 8 + labels.length);
        long started = System.nanoTime();
        assertRejected("images.gz", gzip(images(0x803, 1_000_000_000, 28, 28, 2 * 784)), "labels.gz",
                gzip(labelBytes), images + ": truncated IDX file: the header promises 1000000000 images of 28x28 "
                        + "(784000000016 bytes), found 1584 bytes");
        assertThat(System.nanoTime() - started).as("nanoseconds to reject").isLessThan(30_000_000_000L);
    }

    @Test
    void imagesTooLargeToBeExamples() throws IOException {
        Path images = dir.resolve("images");
        assertRejected("images", images(0x803, 1, 65_535, 65_535, 0), "labels", labels(0),
                images + ": invalid IDX header: images of 65535x65535 have more than the 100000 pixels an example may have");
    }

    @Test
    void labelOutsideTheClassRange() throws IOException {
        Path labels = dir.resolve("labels");
        assertRejected("images", images(0x803, 3, 2, 2, 12), "labels", labels(0, 1, 12),
                labels + ": record 2: the label must be a class index in [0, 10), found 12");
    }
}
