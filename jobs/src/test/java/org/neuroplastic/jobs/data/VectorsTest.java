package org.neuroplastic.jobs.data;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neuroplastic.jobs.train.SmallNetworks;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VectorsTest {

    @Test
    void copiesANetworksNativeVectorsOutAndBackExactly() {
        MultiLayerNetwork source = SmallNetworks.classifier();
        MultiLayerNetwork target = SmallNetworks.classifier();
        target.params().assign(0);
        ByteBuffer buffer = Vectors.allocate(4 * (int) source.params().length());

        Vectors.put(buffer, source.params());
        buffer.flip();
        Vectors.get(buffer, target.params());

        assertThat(buffer.remaining()).isZero();
        assertThat(target.params().toFloatVector()).isEqualTo(source.params().toFloatVector());
    }

    @Test
    void readsAndWritesViewsThroughACopy() {
        INDArray matrix = Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(3, 4);
        INDArray column = matrix.getColumn(1);
        ByteBuffer buffer = Vectors.allocate(12);

        Vectors.put(buffer, column);
        buffer.flip();
        assertThat(Vectors.get(buffer, 3)).containsExactly(2f, 6f, 10f);

        Vectors.set(column, new float[] {-1f, -2f, -3f});
        assertThat(matrix.getColumn(1).toFloatVector()).containsExactly(-1f, -2f, -3f);
        assertThat(matrix.getFloat(0, 0)).isEqualTo(1f);
    }

    @Test
    void refusesNonFloatArrays() {
        assertThatThrownBy(() -> Vectors.put(Vectors.allocate(8), Nd4j.zeros(DataType.DOUBLE, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float32").hasMessageContaining("DOUBLE");
    }
}
