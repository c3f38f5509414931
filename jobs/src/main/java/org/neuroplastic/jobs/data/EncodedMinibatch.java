package org.neuroplastic.jobs.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;

/**
 * The one form a minibatch takes wherever it leaves a JVM or waits in Spark's cache: its float32 features and
 * labels as bytes, per array its rank, shape and values in c order. Bytes, not DataSets: a DataSet's arrays
 * live off the heap, where Spark's serializers cannot see them without ND4J's registrator and its cache's
 * size estimates do not count them; bytes are counted, spilled and shipped as they are.
 */
public final class EncodedMinibatch {

    private EncodedMinibatch() {
    }

    public static byte[] encode(DataSet dataSet) {
        if (dataSet.getFeaturesMaskArray() != null || dataSet.getLabelsMaskArray() != null) {
            throw new IllegalArgumentException("minibatches must not carry mask arrays");
        }
        INDArray features = dataSet.getFeatures();
        INDArray labels = dataSet.getLabels();
        ByteBuffer buffer = Vectors.allocate(8 + 8 * (features.rank() + labels.rank())
                + 4 * (int) (features.length() + labels.length()));
        putArray(buffer, features);
        putArray(buffer, labels);
        return buffer.array();
    }

    /** The examples of an encoded minibatch: the first dimension of its features, the first array written. */
    public static long examples(byte[] encoded) {
        return Vectors.wrap(encoded).getLong(Integer.BYTES);
    }

    public static DataSet decode(byte[] bytes) {
        ByteBuffer buffer = Vectors.wrap(bytes);
        return new DataSet(getArray(buffer), getArray(buffer));
    }

    private static void putArray(ByteBuffer buffer, INDArray array) {
        buffer.putInt(array.rank());
        for (long d : array.shape()) {
            buffer.putLong(d);
        }
        Vectors.put(buffer, array);
    }

    private static INDArray getArray(ByteBuffer buffer) {
        long[] shape = new long[buffer.getInt()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = buffer.getLong();
        }
        INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        Vectors.get(buffer, array);
        return array;
    }
}
