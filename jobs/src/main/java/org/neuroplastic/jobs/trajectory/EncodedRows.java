package org.neuroplastic.jobs.trajectory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of trajectory rows as bytes, the form in which rows travel through Spark (shuffles, cached
 * blocks): Java serialization, because Spark's Kryo cannot build records, and bytes so that the size and
 * speed do not depend on which serializer the application configured.
 */
public final class EncodedRows {

    private EncodedRows() {
    }

    public static byte[] encode(List<TrajectoryRecord> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(rows));
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode trajectory rows", e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    public static List<TrajectoryRecord> decode(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (List<TrajectoryRecord>) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("could not decode trajectory rows", e);
        }
    }
}
