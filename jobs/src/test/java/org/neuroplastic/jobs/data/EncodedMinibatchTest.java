package org.neuroplastic.jobs.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodedMinibatchTest {

    @Test
    void bytesRoundTripKeepsShapeAndValues() {
        DataSet original = new DataSet(Nd4j.rand(5, 7), Nd4j.rand(5, 2));
        byte[] encoded = EncodedMinibatch.encode(original);
        assertThat(EncodedMinibatch.examples(encoded)).isEqualTo(5);
        DataSet copy = EncodedMinibatch.decode(encoded);
        assertThat(copy.getFeatures()).isEqualTo(original.getFeatures());
        assertThat(copy.getLabels()).isEqualTo(original.getLabels());
    }

    @Test
    void theLayoutIsRankShapeAndValuesPerArrayFeaturesFirst() {
        DataSet one = new DataSet(Nd4j.createFromArray(new float[][] {{1f, 2f}}), Nd4j.createFromArray(new float[][] {{3f}}));
        byte[] encoded = EncodedMinibatch.encode(one);
        // features: rank 2 (4 bytes), shape 1 x 2 (16), 2 floats (8); labels: 4 + 16 + 4
        assertThat(encoded).hasSize(4 + 16 + 8 + 4 + 16 + 4);
        assertThat(Vectors.wrap(encoded).getFloat(4 + 16 + 4)).isEqualTo(2f);
    }

    @Test
    void aMinibatchWithMaskArraysIsRefused() {
        DataSet masked = new DataSet(Nd4j.rand(2, 3), Nd4j.rand(2, 1), Nd4j.ones(2, 3), null);
        assertThatThrownBy(() -> EncodedMinibatch.encode(masked)).hasMessageContaining("mask arrays");
    }
}
