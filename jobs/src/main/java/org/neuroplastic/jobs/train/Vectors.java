package org.neuroplastic.jobs.train;

import java.nio.ByteBuffer;

/** Bulk float-vector transfer into and out of byte buffers (one intrinsic copy, no per-element loop). */
final class Vectors {

    private Vectors() {
    }

    static void put(ByteBuffer buffer, float[] values) {
        buffer.asFloatBuffer().put(values);
        buffer.position(buffer.position() + 4 * values.length);
    }

    static float[] get(ByteBuffer buffer, int length) {
        float[] values = new float[length];
        buffer.asFloatBuffer().get(values);
        buffer.position(buffer.position() + 4 * length);
        return values;
    }
}
