package org.neuroplastic.jobs.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Moves float32 vectors between ND4J's native memory, Java arrays and byte buffers with one bulk
 * copy each (ND4J's own {@code toFloatVector} reads element by element). Byte buffers use the
 * platform's byte order: driver and executors run on the same platform (the build ships
 * linux-x86_64 natives only).
 */
public final class Vectors {

    public static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private Vectors() {
    }

    /** A byte buffer in {@link #ORDER} wrapping {@code bytes}. */
    public static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ORDER);
    }

    public static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocate(bytes).order(ORDER);
    }

    public static void put(ByteBuffer buffer, float[] values) {
        buffer.asFloatBuffer().put(values);
        buffer.position(buffer.position() + 4 * values.length);
    }

    public static float[] get(ByteBuffer buffer, int length) {
        float[] values = new float[length];
        buffer.asFloatBuffer().get(values);
        buffer.position(buffer.position() + 4 * length);
        return values;
    }

    /**
     * The values of a dense array ({@link #contiguous} returns it as it is), as a view of its native memory: valid
     * while the caller holds {@code dense}.
     */
    public static FloatBuffer view(INDArray dense) {
        if (!isDense(dense)) {
            throw new IllegalArgumentException("expected a dense float32 array in c order, found shape "
                    + Arrays.toString(dense.shape()) + " in '" + dense.ordering() + "' order");
        }
        return nativeBytes(dense).asFloatBuffer();
    }

    /** The array's values (any shape, read in c order) copied in bulk. */
    public static float[] floats(INDArray array) {
        float[] values = new float[(int) array.length()];
        nativeBytes(contiguous(array)).asFloatBuffer().get(values);
        return values;
    }

    /** Appends the array's values (any shape, read in c order) to {@code buffer}. */
    public static void put(ByteBuffer buffer, INDArray array) {
        buffer.put(nativeBytes(contiguous(array)));
    }

    /** Appends {@code count} values of the array (read in c order) from position {@code from} to {@code buffer}. */
    public static void putRange(ByteBuffer buffer, INDArray array, long from, int count) {
        if (from < 0 || count < 0 || from + count > array.length()) {
            throw new IllegalArgumentException("range [" + from + ", " + (from + count) + ") outside an array of "
                    + array.length() + " values");
        }
        ByteBuffer bytes = nativeBytes(contiguous(array));
        bytes.position((int) (4 * from)).limit((int) (4 * (from + count)));
        buffer.put(bytes);
    }

    /** Overwrites every value of {@code target} with the next {@code target.length()} floats of {@code buffer}. */
    public static void get(ByteBuffer buffer, INDArray target) {
        ByteBuffer source = buffer.slice().order(ORDER);
        source.limit(4 * (int) target.length());
        if (isDense(target)) {
            nativeBytes(target).put(source);
        } else {
            float[] values = new float[(int) target.length()];
            source.asFloatBuffer().get(values);
            target.assign(Nd4j.createFromArray(values).reshape('c', target.shape()));
        }
        buffer.position(buffer.position() + 4 * (int) target.length());
    }

    /** Overwrites every value of {@code target} with {@code values}. */
    public static void set(INDArray target, float[] values) {
        if (values.length != target.length()) {
            throw new IllegalArgumentException("expected " + target.length() + " values, found " + values.length);
        }
        set(target, values, 0);
    }

    /** Overwrites every value of {@code target} with the {@code target.length()} values from {@code offset}. */
    public static void set(INDArray target, float[] values, int offset) {
        int length = (int) target.length();
        if (offset < 0 || offset + length > values.length) {
            throw new IllegalArgumentException("expected " + length + " values from position " + offset
                    + ", found " + values.length + " in all");
        }
        if (isDense(target)) {
            nativeBytes(target).asFloatBuffer().put(values, offset, length);
        } else {
            float[] part = Arrays.copyOfRange(values, offset, offset + length);
            target.assign(Nd4j.createFromArray(part).reshape('c', target.shape()));
        }
    }

    /** The array itself when its values are exactly its float32 buffer in c order, else a dense copy. */
    public static INDArray contiguous(INDArray array) {
        return isDense(array) ? array : array.dup('c');
    }

    /** Whether the array's values are exactly its data buffer, in c order, as float32. */
    private static boolean isDense(INDArray array) {
        requireFloat(array);
        return array.offset() == 0 && array.data().length() == array.length() && array.ordering() == 'c'
                && !array.isView();
    }

    private static ByteBuffer nativeBytes(INDArray dense) {
        ByteBuffer bytes = dense.data().asNio().order(ORDER);
        bytes.position(0).limit(4 * (int) dense.length());
        return bytes;
    }

    private static void requireFloat(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected float32 values, found "
                    + array.dataType());
        }
    }
}
