package org.neuroplastic.jobs.data;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;
import org.neuroplastic.jobs.storage.Storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The lines of one {@link TextSplit}, read where the task runs. Lines end at {@code \n}, {@code \r} or
 * {@code \r\n}, as {@code BufferedReader.readLine} ends them, and are decoded strictly: bytes that are not
 * UTF-8 fail the read instead of becoming U+FFFD.
 */
final class TextLines implements Closeable {

    private final InputStream in;
    private final LineReader reader;
    private final long end;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    private final Text line = new Text();
    private long position;
    private long index = -1;

    private TextLines(InputStream in, long start, long end) throws IOException {
        this.in = in;
        this.reader = new LineReader(in, 1 << 16);
        this.end = end;
        this.position = start;
        if (start > 0) {
            // The line under way at start belongs to the range before: skip through its end.
            position += reader.readLine(new Text(), Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
    }

    static TextLines open(Storage storage, TextSplit split) throws IOException {
        if (split.start() == 0) {
            return new TextLines(TextSource.open(storage, split.file()), 0, split.end());
        }
        FSDataInputStream in = storage.open(split.file());
        in.seek(split.start());
        return new TextLines(in, split.start(), split.end());
    }

    /** The next line of the range, or null after its last. */
    String next() throws IOException {
        if (position > end) {
            return null;
        }
        int consumed = reader.readLine(line, Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (consumed == 0) {
            return null;
        }
        position += consumed;
        index++;
        return decoder.decode(ByteBuffer.wrap(line.getBytes(), 0, line.getLength())).toString();
    }

    /** The index within the range of the line {@link #next} returned last (0 for the range's first). */
    long index() {
        return index;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
