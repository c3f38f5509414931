package org.neuroplastic.model.plasticity;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ElementsTest {

    @Test
    void sumsOfValuesAbsoluteValuesAndSquaresAreTheHandComputedOnes() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray v = Nd4j.createFromArray(1.0, -2.0, 0.5, 4.0, -3.0).castTo(type);
            assertThat(Elements.sum(v, Elements.Term.VALUE)).as("%s", type).isEqualTo(0.5);
            assertThat(Elements.sum(v, Elements.Term.ABSOLUTE)).as("%s", type).isEqualTo(10.5);
            assertThat(Elements.sum(v, Elements.Term.SQUARE)).as("%s", type).isEqualTo(1 + 4 + 0.25 + 16 + 9);
        }
    }

    @Test
    void sumsCoverEveryElementOfAViewAcrossReadChunks() {
        // A column-major 200 x 50 matrix (10,000 elements: two full chunks of 4,096 and a partial one, not a
        // multiple of the four-way unrolling) that is a view 7 elements into a larger buffer. Element k is
        // (k mod 7) - 3, so each full period of 7 sums to 0, 12 in absolute value and 28 in squares.
        int n = 10_000;
        float[] values = new float[n + 7 + 5];
        for (int k = 0; k < n; k++) {
            values[k + 7] = (k % 7) - 3;
        }
        values[3] = 1000;
        values[n + 8] = 1000;
        INDArray view = Nd4j.createFromArray(values).get(NDArrayIndex.interval(7, 7 + n)).reshape('f', 200, 50);
        assertThat(view.isView()).isTrue();
        // 10,000 = 1,428 periods + 4 elements (-3, -2, -1, 0).
        assertThat(Elements.sum(view, Elements.Term.VALUE)).isEqualTo(-6.0);
        assertThat(Elements.sum(view, Elements.Term.ABSOLUTE)).isEqualTo(1428 * 12 + 6.0);
        assertThat(Elements.sum(view, Elements.Term.SQUARE)).isEqualTo(1428 * 28 + 14.0);
    }

    @Test
    void summaryHasTheMeanPopulationStdMinAndMax() {
        Elements.Summary s = Elements.summarize(Nd4j.createFromArray(2f, 4f, 4f, 4f, 5f, 5f, 7f, 9f));
        assertThat(s.count()).isEqualTo(8);
        assertThat(s.mean()).isEqualTo(5.0);
        // The textbook example: population variance 4, so std 2.
        assertThat(s.std()).isCloseTo(2.0, within(1e-12));
        assertThat(s.min()).isEqualTo(2.0);
        assertThat(s.max()).isEqualTo(9.0);
    }
}
