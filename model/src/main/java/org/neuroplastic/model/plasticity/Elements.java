package org.neuroplastic.model.plasticity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Direct element access to a contiguous array (a parameter view, a gradient view or a detached buffer),
 * for the rules that pick single connections (structural rewiring, restarting regrown connections) or
 * read a whole matrix into Java. Index k is the array's k-th element in memory:
 * for a column-major (nIn x nOut) matrix, row {@code k % nIn}, column {@code k / nIn}.
 */
public abstract sealed class Elements permits Elements.Floats, Elements.Doubles {

    /** Elements per bulk copy in {@link #sum}: the chunk stays in the L1 cache. */
    private static final int READ_CHUNK = 4096;

    public abstract double get(int k);

    public abstract void set(int k, double value);

    /** Copies elements {@code from .. from + length - 1} into {@code target[0 .. length - 1]}. */
    public abstract void read(int from, double[] target, int length);

    /** Copies {@code source[0 .. length - 1]} into elements {@code from .. from + length - 1}. */
    public abstract void write(int from, double[] source, int length);

    /** What {@link #sum} adds up: each element, its absolute value, or its square. */
    public enum Term { VALUE, ABSOLUTE, SQUARE }

    /**
     * The sum of one {@link Term} over every element of {@code array} (contiguous, see {@link #of}), in
     * double. The trajectories read a few such sums of each state matrix after every training step:
     * one Java pass costs about half of an ND4J reduction, which is a native call of its own.
     */
    public static double sum(INDArray array, Term term) {
        return of(array).sum((int) array.length(), term);
    }

    /** Count, sum, sum of squares, minimum and maximum of a (small) contiguous array, in one pass. */
    public record Summary(long count, double sum, double sumOfSquares, double min, double max) {

        public double mean() {
            return sum / count;
        }

        /** The population standard deviation (divided by the count). */
        public double std() {
            double mean = mean();
            return Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
        }
    }

    public static Summary summarize(INDArray array) {
        int n = (int) array.length();
        double[] values = new double[n];
        of(array).read(0, values, n);
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            squares += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Summary(n, sum, squares, min, max);
    }

    abstract double sum(int length, Term term);

    /** Wraps {@code array}, which must be contiguous in memory: a vector, or a column-major matrix. */
    public static Elements of(INDArray array) {
        boolean contiguous = array.isVector() || array.isScalar()
                || (array.ordering() == 'f' && array.stride(0) == 1 && array.stride(1) == array.size(0));
        if (!contiguous || array.elementWiseStride() != 1 && !array.isScalar()) {
            throw new IllegalArgumentException("Expected a contiguous column-major array, got shape "
                    + java.util.Arrays.toString(array.shape()) + " strides " + java.util.Arrays.toString(array.stride()));
        }
        // ND4J's buffer starts at the array's offset (its position); the slice makes that index 0.
        if (array.dataType() == DataType.FLOAT) {
            return new Floats(array.data().asNioFloat().slice());
        }
        if (array.dataType() == DataType.DOUBLE) {
            return new Doubles(array.data().asNioDouble().slice());
        }
        throw new IllegalArgumentException("Plastic layers run in float32 or float64, got " + array.dataType());
    }

    static final class Floats extends Elements {
        private final FloatBuffer buffer;
        private float[] scratch = new float[0];

        Floats(FloatBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public double get(int k) {
            return buffer.get(k);
        }

        @Override
        public void set(int k, double value) {
            buffer.put(k, (float) value);
        }

        @Override
        public void read(int from, double[] target, int length) {
            float[] values = scratch(length);
            buffer.get(from, values, 0, length);
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
            buffer.put(from, values, 0, length);
        }

        @Override
        double sum(int n, Term term) {
            float[] chunk = scratch(Math.min(READ_CHUNK, n));
            double total = 0;
            for (int from = 0; from < n; from += READ_CHUNK) {
                int length = Math.min(READ_CHUNK, n - from);
                buffer.get(from, chunk, 0, length);
                total += switch (term) {
                    case VALUE -> sumOf(chunk, length);
                    case ABSOLUTE -> sumOfAbsolute(chunk, length);
                    case SQUARE -> sumOfSquares(chunk, length);
                };
            }
            return total;
        }

        // Four accumulators each: four short dependency chains instead of one long one.
        private static double sumOf(float[] v, int n) {
            double a = 0, b = 0, c = 0, d = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                a += v[i];
                b += v[i + 1];
                c += v[i + 2];
                d += v[i + 3];
            }
            for (; i < n; i++) {
                a += v[i];
            }
            return (a + b) + (c + d);
        }

        // Math.abs of the double, not of the float: the client compiler, which jobs run with, compiles the
        // double's as one instruction but the float's as a branch on the sign, which weights of mixed signs
        // mispredict about every other element (in a profile of bin/benchmark
        // averaging, most of the trajectories' reading time).
        private static double sumOfAbsolute(float[] v, int n) {
            double a = 0, b = 0, c = 0, d = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                a += Math.abs((double) v[i]);
                b += Math.abs((double) v[i + 1]);
                c += Math.abs((double) v[i + 2]);
                d += Math.abs((double) v[i + 3]);
            }
            for (; i < n; i++) {
                a += Math.abs((double) v[i]);
            }
            return (a + b) + (c + d);
        }

        private static double sumOfSquares(float[] v, int n) {
            double a = 0, b = 0, c = 0, d = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                a += (double) v[i] * v[i];
                b += (double) v[i + 1] * v[i + 1];
                c += (double) v[i + 2] * v[i + 2];
                d += (double) v[i + 3] * v[i + 3];
            }
            for (; i < n; i++) {
                a += (double) v[i] * v[i];
            }
            return (a + b) + (c + d);
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

        Doubles(DoubleBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public double get(int k) {
            return buffer.get(k);
        }

        @Override
        public void set(int k, double value) {
            buffer.put(k, value);
        }

        @Override
        public void read(int from, double[] target, int length) {
            buffer.get(from, target, 0, length);
        }

        @Override
        double sum(int n, Term term) {
            double total = 0;
            for (int k = 0; k < n; k++) {
                double v = buffer.get(k);
                total += switch (term) {
                    case VALUE -> v;
                    case ABSOLUTE -> Math.abs(v);
                    case SQUARE -> v * v;
                };
            }
            return total;
        }

        @Override
        public void write(int from, double[] source, int length) {
            buffer.put(from, source, 0, length);
        }
    }
}
