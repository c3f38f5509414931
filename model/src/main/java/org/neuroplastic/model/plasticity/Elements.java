package org.neuroplastic.model.plasticity;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to a contiguous array (a parameter view, a gradient view or a detached buffer),
 * for the rules that pick single connections (structural rewiring, restarting regrown connections) or
 * read a whole matrix into Java. Index k is the array's k-th element in memory:
 * for a column-major (nIn x nOut) matrix, row {@code k % nIn}, column {@code k / nIn}.
 */
public abstract sealed class Elements permits Elements.Floats, Elements.Doubles {

    public abstract double get(int k);

    public abstract void set(int k, double value);

    /** Copies elements {@code from .. from + length - 1} into {@code target[0 .. length - 1]}. */
    public abstract void read(int from, double[] target, int length);

    /** Copies {@code source[0 .. length - 1]} into elements {@code from .. from + length - 1}. */
    public abstract void write(int from, double[] source, int length);

    /** Wraps {@code array}, which must be contiguous in memory: a vector, or a column-major matrix. */
    public static Elements of(INDArray array) {
        boolean contiguous = array.isVector() || array.isScalar()
                || (array.ordering() == 'f' && array.stride(0) == 1 && array.stride(1) == array.size(0));
        if (!contiguous || array.elementWiseStride() != 1 && !array.isScalar()) {
            throw new IllegalArgumentException("Expected a contiguous column-major array, got shape "
                    + java.util.Arrays.toString(array.shape()) + " strides " + java.util.Arrays.toString(array.stride()));
        }
        if (array.dataType() == DataType.FLOAT) {
            FloatBuffer buffer = array.data().asNioFloat();
            return new Floats(buffer, buffer.position());
        }
        if (array.dataType() == DataType.DOUBLE) {
            DoubleBuffer buffer = array.data().asNioDouble();
            return new Doubles(buffer, buffer.position());
        }
        throw new IllegalArgumentException("Plastic layers run in float32 or float64, got " + array.dataType());
    }

    static final class Floats extends Elements {
        private final FloatBuffer buffer;
        private final int base;
        private float[] scratch = new float[0];

        Floats(FloatBuffer buffer, int base) {
            this.buffer = buffer;
            this.base = base;
        }

        @Override
        public double get(int k) {
            return buffer.get(base + k);
        }

        @Override
        public void set(int k, double value) {
            buffer.put(base + k, (float) value);
        }

        @Override
        public void read(int from, double[] target, int length) {
            float[] values = scratch(length);
            buffer.get(base + from, values, 0, length);
            for (int i = 0; i < length; i++) {
                target[i] = values[i];
            }
        }

        @Override
        public void write(int from, double[] source, int length) {
            float[] values = scratch(length);
            for (int i = 0; i < length; i++) {
                values[i] = (float) source[i];
            }
            buffer.put(base + from, values, 0, length);
        }

        private float[] scratch(int length) {
            if (scratch.length < length) {
                scratch = new float[length];
            }
            return scratch;
        }
    }

    static final class Doubles extends Elements {
        private final DoubleBuffer buffer;
        private final int base;

        Doubles(DoubleBuffer buffer, int base) {
            this.buffer = buffer;
            this.base = base;
        }

        @Override
        public double get(int k) {
            return buffer.get(base + k);
        }

        @Override
        public void set(int k, double value) {
            buffer.put(base + k, value);
        }

        @Override
        public void read(int from, double[] target, int length) {
            buffer.get(base + from, target, 0, length);
        }

        @Override
        public void write(int from, double[] source, int length) {
            buffer.put(base + from, source, 0, length);
        }
    }
}
